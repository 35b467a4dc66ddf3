package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged agent ({@code target/quarkus-app}) run as a real process on loopback ports, for tests that
 * kill it, restart it or start it with bad configuration.
 */
public final class AgentProcess implements AutoCloseable {

    private static final HttpClient PROBES = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;
    private final Map<String, String> properties;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private Process process;

    public AgentProcess(Path workDir, Map<String, String> properties) throws IOException {
        this.dataDir = workDir.resolve("data");
        this.log = workDir.resolve("agent.log");
        this.properties = properties;
        this.httpPort = freePort();
        this.managementPort = freePort();
    }

    /**
     * Starts one more agent of a fleet sharing a store, in {@code work/agent-<n>}, and waits until it is ready. It
     * joins {@code fleet} before it starts, so the caller's cleanup closes it even when its start fails.
     */
    public static void startOneOf(List<AgentProcess> fleet, Path work, Map<String, String> config)
            throws IOException, InterruptedException {
        Path dir = work.resolve("agent-" + fleet.size());
        Files.createDirectories(dir);
        AgentProcess agent = new AgentProcess(dir, config);
        fleet.add(agent);
        agent.start();
    }

    /** Starts the process without waiting for it to be ready. */
    public AgentProcess launch() throws IOException {
        Path app = Path.of(System.getProperty("agent.test.app-dir", "target/quarkus-app"), "quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        Path archive = app.resolveSibling("app.jsa");
        if (Files.exists(archive)) { // the class-data archive of the package phase, as the run command uses it
            command.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        }
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dagent.data-dir=" + dataDir.toAbsolutePath());
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(app.toAbsolutePath().toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process launched = process;
        // if the test JVM is stopped before close() runs, no agent outlives it (a wedged one ignores SIGTERM)
        Runtime.getRuntime().addShutdownHook(new Thread(launched::destroyForcibly, "kill-agent-" + launched.pid()));
        return this;
    }

    /**
     * Starts the process and waits until readiness answers UP.
     *
     * @return milliseconds from launch to ready
     */
    public long start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        launch();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("agent exited with " + process.exitValue() + ":\n" + output());
                }
                return ready();
            });
        } catch (ConditionTimeoutException notReady) {
            throw new IllegalStateException("agent not ready within 60 s:\n" + output());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** @return whether the agent answers its readiness probe with 200 now (false while it is down or starting) */
    public boolean ready() throws InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return PROBES.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListening) {
            return false;
        }
    }

    /** @return the exit code, waiting at most {@code timeout} for the process to end by itself */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("agent still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Writes a thread dump of the running agent to {@code target/<name>-<millis>.txt} (jcmd), for a post-mortem. */
    public void keepThreadDump(String name) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", name + "-" + System.currentTimeMillis() + ".txt").toFile()).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Asks liveness, as a Kubernetes liveness probe would.
     *
     * @return the body of a failed liveness answer (it names the wedged job), empty while live or not answering
     */
    public Optional<String> livenessFailure() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(managementUrl() + "/q/health/live")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 503 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException notAnswering) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sends SIGKILL: no shutdown hook, no flush, like a power cut of the process. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** @return resident set size of the running process in KiB, from /proc */
    public long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * Copies the log an agent wrote in {@code workDir} to {@code target/<name>-<millis>.log}, for the
     * post-mortem of a failed test (its temporary directory goes away).
     */
    public static void keepLog(Path workDir, String name) throws IOException {
        Path log = workDir.resolve("agent.log");
        if (Files.exists(log)) {
            Files.copy(log, Path.of("target", name + "-" + System.currentTimeMillis() + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** @return the management interface's base URL (health, metrics) */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
