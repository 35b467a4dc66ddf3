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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the class-data archive ({@code app.jsa}) that lets the packaged agent start faster: the package phase
 * runs this file with the JDK's source launcher ({@code java CdsTraining.java <app-dir>}). It starts the packaged
 * agent once with {@code -XX:ArchiveClassesAtExit}, on loopback ports, a temporary store and the sandbox
 * upstream; it walks the paths a working agent takes (ingest, a refusal, a look-up, a flush that sends to the
 * sandbox, status, ledger, metrics, health), then stops it: the JVM writes the classes it loaded into the
 * archive as it exits. {@code java -XX:SharedArchiveFile=<app-dir>/app.jsa -jar <app-dir>/quarkus-run.jar} maps
 * them instead of loading them from the jars again.
 *
 * <p>The archive holds absolute paths and the jars' sizes and times: a moved or rebuilt application directory
 * makes the JVM print a warning and start without it. It fails the build when the agent does not start or a
 * call does not answer as a working agent would, since then the package is broken anyway. A second argument
 * {@code true} ({@code -Dcds.skip=true}, set by the postgresql build, which has no store to train against) only
 * removes the archive of an earlier build.
 */
public final class CdsTraining {

    /** The sidecar JVM options of the deployment files; the archive works with other options too. */
    private static final List<String> JVM_OPTIONS = List.of("-Xms8m", "-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=48m", "-Xss512k");
    private static final String ORG = "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String admin = UUID.randomUUID().toString();
    private final int port;
    private final int managementPort;

    private CdsTraining() throws IOException {
        this.port = freePort();
        this.managementPort = freePort();
    }

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args.length > 0 ? args[0] : "target/quarkus-app").toAbsolutePath().normalize();
        Path archive = app.resolve("app.jsa");
        Files.deleteIfExists(archive); // an archive of an earlier build would only be refused by the JVM
        if (args.length > 1 && Boolean.parseBoolean(args[1])) {
            System.out.println("[cds] skipped (cds.skip): no class-data archive for this build");
            return;
        }
        Path data = Files.createTempDirectory("vendorusage-cds-");
        Path log = app.getParent().resolve("cds-training.log");
        try {
            new CdsTraining().train(app, archive, data, log);
        } catch (Exception | Error e) {
            Files.deleteIfExists(archive);
            throw e;
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("[cds] " + archive + ": " + Files.size(archive) / (1024 * 1024) + " MiB");
    }

    private void train(Path app, Path archive, Path data, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-XX:ArchiveClassesAtExit=" + archive);
        command.addAll(List.of("-Dagent.sandbox.enabled=true", "-Dagent.admin.token=" + admin,
                "-Dagent.data-dir=" + data, "-Dagent.submission.enabled=false",
                "-Dagent.reconciliation.enabled=false", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort, "-jar", app.resolve("quarkus-run.jar").toString()));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            awaitReady(agent, log);
            exercise();
        } finally {
            agent.destroy(); // SIGTERM: a normal shutdown, which writes the archive
            if (!agent.waitFor(120, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                throw new IllegalStateException("the training agent did not stop; see " + log);
            }
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no archive was written; see " + log);
        }
    }

    private void exercise() throws IOException, InterruptedException {
        String one = "{\"eventId\":\"cds-1\",\"organizationId\":\"" + ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":12.5}";
        String two = "[{\"eventId\":\"cds-2\",\"organizationId\":\"" + ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":7,\"occurredAt\":\"" + java.time.Instant.now()
                + "\"}," + one + "]";
        expect(202, post("/v1/usage-events", "application/json", one, false));
        expect(202, post("/v1/usage-events", "application/json", two, false));
        expect(400, post("/v1/usage-events", "application/json", "[{\"eventId\":\"\"}]", false));
        expect(200, get("/v1/usage-events/cds-1", false));
        expect(200, post("/v1/submissions/flush", "application/json", "", true));
        expect(200, get("/v1/usage-events/cds-2", false));
        expect(200, get("/v1/submissions?state=confirmed", true));
        expect(200, get("/v1/status", true));
        expect(200, post("/v1/reconciliation/run", "application/json", "", true));
        expect(200, get("/v1/reconciliation", true));
        expect(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                .header("Accept", "text/plain; version=0.0.4").build()));
        expect(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health"))
                .build()));
    }

    private void awaitReady(Process agent, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("the training agent exited with " + agent.exitValue() + "; see "
                        + log);
            }
            try {
                if (send(HttpRequest.newBuilder(ready).build()) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the training agent was not ready within 120 s; see " + log);
    }

    private int post(String path, String type, String body, boolean asAdmin) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorized(b, asAdmin).build());
    }

    private int get(String path, boolean asAdmin) throws IOException, InterruptedException {
        return send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)), asAdmin)
                .build());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b, boolean asAdmin) {
        return asAdmin ? b.header("Authorization", "Bearer " + admin) : b;
    }

    private int send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request.newBuilder(request, (k, v) -> true).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void expect(int status, int actual) {
        if (status != actual) {
            throw new IllegalStateException("expected HTTP " + status + " from the training agent, got " + actual);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
