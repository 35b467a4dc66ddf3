package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UsageLoad;

/**
 * The embedded store's disk fills up under load: the agent's SQLite directory is a small tmpfs, and a filler
 * file takes its last byte while a client keeps posting. Ingest answers 503 and readiness goes down naming
 * the cause; once the filler is deleted the agent accepts events again, billing ends exact and every
 * acknowledged event is still in the store, all without a restart of the process. The test still plays the
 * supervisor as the Kubernetes manifests set it up (when liveness fails, a job wedged, see {@link #STUCK_AFTER},
 * it kills and restarts the agent) so that a wedged store shows as a failure that names it rather than a hang;
 * any such restart fails the test. With {@code -Dfulldisk.strict=true} the agent is also killed and restarted
 * once after it healed. Needs root (to mount the tmpfs) and the embedded-store build; skipped otherwise.
 */
class FullDiskIT {

    private static final String ADMIN = "disk-admin";
    private static final boolean STRICT = Boolean.getBoolean("fulldisk.strict");
    /**
     * The stuck-job check as a guard: H2, the embedded store before SQLite, sometimes left a thread spinning
     * forever after a full disk, which only a liveness restart healed. A store that wedges shows here as a
     * restart, which fails the test.
     */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(15);
    private static final int DISK_MIB = 256;

    private final List<String> restarts = new ArrayList<>();

    @Test
    void aFullDiskRefusesIngestWith503AndHealsByItself(@TempDir Path work) throws Exception {
        Assumptions.assumeFalse("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "the full-disk test is for the embedded store");
        // the agent keeps its store in <work>/data: that directory becomes the small disk (the log stays outside)
        Path disk = Files.createDirectories(work.resolve("data"));
        // room enough, once the filler is gone, for the store and its write-ahead log under this load
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + DISK_MIB + "m", "tmpfs",
                disk.toString()) == 0,
                "needs root to mount a small tmpfs for the store");
        boolean passed = false;
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings(ADMIN);
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            config.put("agent.submission.bucket", "PT2S");
            config.put("agent.submission.interval", "PT0.3S");
            config.put("agent.health.stuck-after", STUCK_AFTER.toString());
            try (AgentProcess agent = new AgentProcess(work, config); UsageLoad load = new UsageLoad(3, 20, 31)) {
                try {
                    agent.start();
                    load.start(() -> agent);
                    Thread.sleep(3000);

                    Path filler = disk.resolve("filler");
                    Instant fillStart = Instant.now();
                    long filled = fill(filler);
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> load.resends() > 0);
                    String reason = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                        var ready = given().baseUri(agent.managementUrl()).get("/q/health/ready");
                        return ready.statusCode() == 503 ? ready.jsonPath().getString(
                                "checks.find { it.name == 'store' }.data.reason") : null;
                    }, Objects::nonNull);
                    int refusedWhileFull = load.resends();
                    Thread.sleep(3000);

                    Files.delete(filler);
                    Instant freed = Instant.now();
                    assertTrue(awaitSupervised(agent, Duration.ofSeconds(60), () -> ready(agent)),
                            "not ready again 60 s after the disk was freed, and liveness did not fail either");
                    long healMs = Duration.between(freed, Instant.now()).toMillis();
                    int acceptedBeforeHeal = load.accepted().size();
                    assertTrue(awaitSupervised(agent, Duration.ofSeconds(60),
                            () -> load.accepted().size() > acceptedBeforeHeal),
                            "ready again, but no event accepted within 60 s, and liveness did not fail either");
                    Thread.sleep(3000);
                    Instant killedAt = Instant.now();
                    if (STRICT) {
                        agent.killHard(); // does the store written around the full disk open cleanly again?
                        agent.start();
                        Thread.sleep(2000);
                    }
                    load.stop();

                    awaitSupervised(agent, Duration.ofSeconds(120), () -> load.settled(agent, ADMIN, upstream));
                    boolean exact = load.billedExactly(upstream);
                    List<UsageLoad.Sent> missing = load.missingFromStore(agent);
                    System.out.printf("full disk: %d MiB filler took the last byte; %d ingest attempts refused while"
                            + " full, readiness down (%s), ready again %d ms after space was freed, %d events accepted"
                            + " in all, billed exactly: %s; acknowledged but missing from the store: %d%s; restarted on"
                            + " failed liveness: %d%s%n", filled >> 20, refusedWhileFull, reason, healMs,
                            load.accepted().size(), exact, missing.size(),
                            missing.isEmpty() ? "" : String.format(" (accepted %d to %d ms after the fill began;"
                                    + " freed at %d ms, %s at %d ms)", millis(fillStart, missing.get(0).acceptedAt()),
                                    millis(fillStart, missing.get(missing.size() - 1).acceptedAt()),
                                    millis(fillStart, freed), STRICT ? "killed" : "billing checked",
                                    millis(fillStart, killedAt)),
                            restarts.size(), restarts.isEmpty() ? "" : " " + restarts);
                    assertTrue(refusedWhileFull > 0 && load.accepted().size() > 100, "the disk filled under load");
                    load.assertNeverBilledMore(upstream);
                    assertTrue(missing.isEmpty(), missing.size() + " acknowledged events are gone from the store");
                    assertTrue(restarts.isEmpty(), "healed only by a restart on failed liveness: " + restarts);
                    load.assertBilledExactly(upstream, agent, ADMIN);
                    passed = true;
                } catch (Throwable failure) {
                    agent.keepThreadDump("fulldisk-agent-threads"); // where is it stuck?
                    throw failure;
                }
            }
        } finally {
            run("umount", "-l", disk.toString());
            if (!passed) {
                AgentProcess.keepLog(work, "fulldisk-agent");
            }
        }
    }

    /** Waits for the condition, restarting the agent whenever its liveness fails meanwhile. */
    private boolean awaitSupervised(AgentProcess agent, Duration limit, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.call()) {
                return true;
            }
            supervise(agent);
            Thread.sleep(200);
        }
        return false;
    }

    private static boolean ready(AgentProcess agent) {
        try {
            return given().baseUri(agent.managementUrl()).get("/q/health/ready").statusCode() == 200;
        } catch (RuntimeException notAnswering) {
            return false;
        }
    }

    /** What the Kubernetes liveness probe does: a failed liveness answer gets the process killed and restarted. */
    private void supervise(AgentProcess agent) throws IOException, InterruptedException {
        Optional<String> failure = agent.livenessFailure();
        if (failure.isPresent()) {
            JsonPath job = JsonPath.from(failure.get());
            restarts.add(job.getString("checks.find { it.name == 'jobs' }.data.job") + " wedged at "
                    + job.getString("checks.find { it.name == 'jobs' }.data.at"));
            agent.killHard();
            agent.start();
        }
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    /** Writes zeros until the filesystem is full; returns how many bytes fit. */
    private static long fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space")) {
                throw full;
            }
        }
        return written;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
