package io.vendorusage.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UsageLoad;

/**
 * The packaged agent under load is killed with SIGKILL at random instants ({@code crash.kills} times,
 * 12 by default) and restarted, while a fake Genesys bills some POSTs and answers 504, refuses others with
 * 429, and answers slowly. The client resends every batch until it gets 202. At the end, after
 * reconciliation has settled what was uncertain, the upstream bills exactly the accepted events: sums for
 * sum apps, peaks for high-water-mark apps. Zero lost, zero doubled.
 */
class CrashSafetyIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 12);
    private static final String ADMIN = "crash-admin";

    @Test
    void killedRepeatedlyUnderLoadTheUpstreamEndsUpBillingExactlyTheAcceptedEvents(@TempDir Path work)
            throws Exception {
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            upstream.misbehave(0.15, 0.05, 15);
            Map<String, String> config = new LinkedHashMap<>(upstream.agentSettings(ADMIN));
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            config.put("agent.submission.bucket", "PT2S");
            config.put("agent.submission.interval", "PT0.3S");
            config.put("agent.submission.lease", "PT2S");
            config.put("agent.submission.retry-base", "PT0.05S");
            config.put("agent.submission.retry-max-delay", "PT0.5S");
            config.put("agent.outbox.stats-interval", "PT1S");

            try (AgentProcess agent = new AgentProcess(work, config); UsageLoad load = new UsageLoad(4, 20, 3)) {
                agent.start();
                // besides the random faults, one of each for certain: a 429 and a POST billed then answered 504
                upstream.script(load.orgs().get(0), FakeGenesys.Answer.TOO_MANY);
                upstream.script(load.orgs().get(1), FakeGenesys.Answer.BILLED_THEN_504);
                load.start(() -> agent);
                Random random = new Random(11);
                long restartMs = 0;
                // the first kill lands while a sum POST is in flight, after Genesys has billed it: the agent must
                // hold that record as uncertain and reconciliation settle it as billed, never send it again
                FakeGenesys.HeldPost held = upstream.holdNextPost();
                assertTrue(held.arrived().await(30, java.util.concurrent.TimeUnit.SECONDS), "no sum POST arrived");
                agent.killHard();
                held.release().countDown();
                restartMs += agent.start();
                for (int k = 1; k < KILLS; k++) {
                    Thread.sleep(300 + random.nextInt(1700)); // kills at random instants of the load
                    agent.killHard();
                    restartMs += agent.start();
                }
                load.stop();

                // every restart leaves records behind: allow for draining a long run's backlog
                Instant deadline = Instant.now().plus(Duration.ofSeconds(Math.max(120, 6L * KILLS)));
                while (Instant.now().isBefore(deadline) && !load.settled(agent, ADMIN, upstream)) {
                    Thread.sleep(1000);
                }
                System.out.printf("crash: %d kills survived (restart to ready %d ms on average), %d events accepted,"
                        + " upstream answers %s%n", KILLS, restartMs / KILLS, load.accepted().size(),
                        upstream.answers());
                if (!load.billedExactly(upstream)) {
                    AgentProcess.keepLog(work, "crash-agent");
                }
                load.assertBilledExactly(upstream, agent, ADMIN);
                assertTrue(load.accepted().size() > 100, "the load ran: " + load.accepted().size());
                // the faults happened: answers lost to 504 and 429, and the POST in flight at the first kill came
                // back as an unknown outcome that reconciliation settled
                Map<String, Integer> answers = upstream.answers();
                assertTrue(answers.getOrDefault("POST 504", 0) > 0 && answers.getOrDefault("POST 429", 0) > 0,
                        "upstream answers " + answers);
                String log = java.nio.file.Files.readString(work.resolve("agent.log"));
                assertTrue(log.contains("held as uncertain (interrupted)"), "no record was taken back after a kill");
                assertTrue(log.contains("settled by reconciliation as billed"), "no uncertain record was settled");
            }
        }
    }
}
