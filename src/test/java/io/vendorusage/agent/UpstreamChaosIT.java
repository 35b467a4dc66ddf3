package io.vendorusage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.StoreFiles;
import io.vendorusage.agent.testsupport.StoreOutage;
import io.vendorusage.agent.testsupport.FakeGenesys.Call;
import io.vendorusage.agent.testsupport.FakeGenesys.Hold;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UsageLoad;

/**
 * Upstream chaos soak: for {@code chaos.seconds} (60 by default; several minutes for the long form,
 * {@code ./mvnw verify -Dit.test=UpstreamChaosIT -Dchaos.seconds=600}) the packaged agent ingests a steady
 * load while the fake Genesys mixes 429 and 503 with Retry-After, 500 after billing, 502, billed-then-504,
 * answers held past the agent's timeout, dropped connections, slow answers, and failing token and query
 * calls. The agent's demand is above its rate limit the whole time. Then the faults stop and the test
 * proves: no call arrived while a Retry-After was in force, no minute held more calls than the configured
 * rate, ingest never noticed, and after reconciliation the upstream bills exactly the accepted events.
 */
class UpstreamChaosIT {

    private static final int SECONDS = Integer.getInteger("chaos.seconds", 60);
    private static final int RATE_PER_MINUTE = 300;
    private static final int TIMEOUT_MILLIS = 1000;
    /** A call the agent had already sent when a Retry-After reached it may arrive just after that answer. */
    private static final long IN_FLIGHT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final String ADMIN = "chaos-admin";

    @Test
    void underUpstreamChaosTheAgentObeysEveryHoldNeverExceedsItsRateAndEndsExact(@TempDir Path work)
            throws Exception {
        Assumptions.assumeTrue(SECONDS > 0, "chaos.seconds=0: the soak is off for this run");
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings(ADMIN);
            config.put("agent.genesys.rate-limit-per-minute", String.valueOf(RATE_PER_MINUTE));
            config.put("quarkus.rest-client.genesys.read-timeout", String.valueOf(TIMEOUT_MILLIS));
            config.put("quarkus.rest-client.genesys.connect-timeout", "500");
            config.put("agent.submission.bucket", "PT2S");
            // a call waits up to one interval for its rate slot: 4 senders and reconciliation at 5 calls/s need 1 s
            config.put("agent.submission.interval", "PT2S");
            config.put("agent.submission.lease", "PT3S");
            config.put("agent.submission.retry-base", "PT0.1S");
            config.put("agent.submission.retry-max-delay", "PT1S");
            // the breaker still opens under this much failure, but for seconds, not the default 30
            config.put("quarkus.fault-tolerance.\"io.vendorusage.agent.upstream.GuardedCalls/postUsage\".circuit-breaker.delay", "3000");

            try (AgentProcess agent = new AgentProcess(work, config); UsageLoad load = new UsageLoad(8, 10, 23)) {
                // chaos from the first call: a token fetched before it (reconciliation starts 1 s after start-up)
                // would outlive the soak and no token failure would ever be met
                upstream.chaos(FakeGenesys.Chaos.standard(TIMEOUT_MILLIS));
                agent.start();
                load.start(() -> agent);
                Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
                load.stop();
                upstream.chaos(null);
                Map<String, Integer> chaosAnswers = upstream.answers();

                long t0 = System.nanoTime();
                // the backlog the soak leaves grows with its length: allow for draining it at the rate limit
                Instant deadline = Instant.now().plus(Duration.ofSeconds(Math.max(240, 3L * SECONDS)));
                while (Instant.now().isBefore(deadline) && !load.settled(agent, ADMIN, upstream)) {
                    Thread.sleep(1000);
                }
                double drainSeconds = (System.nanoTime() - t0) / 1e9;

                List<Call> calls = upstream.calls();
                List<String> holdViolations = callsDuringHolds(calls, upstream.holds());
                int busiestMinute = busiestWindow(calls, TimeUnit.SECONDS.toNanos(60) - IN_FLIGHT_NANOS);
                System.out.printf("chaos: %d s of faults, %d events accepted (%d ingest resends), %d upstream calls,"
                        + " %d Retry-After holds, busiest minute %d calls (limit %d), busiest second %d, drained and"
                        + " settled in %.0f s; answers during chaos %s%n", SECONDS, load.accepted().size(),
                        load.resends(), calls.size(), upstream.holds().size(), busiestMinute, RATE_PER_MINUTE,
                        busiestWindow(calls, TimeUnit.SECONDS.toNanos(1)), drainSeconds, chaosAnswers);

                for (String fault : List.of("POST 429", "POST 503", "POST 500", "POST 502", "POST 504", "POST dropped",
                        "GET 429", "GET 500", "token failure")) {
                    assertTrue(chaosAnswers.getOrDefault(fault, 0) > 0, "the chaos injected " + fault + ": "
                            + chaosAnswers);
                }
                assertEquals(List.of(), holdViolations, "calls made while a Retry-After was in force");
                assertTrue(busiestMinute <= RATE_PER_MINUTE, "busiest minute: " + busiestMinute + " calls");
                assertEquals(0, load.resends(), "upstream faults never reach ingest: " + load.refusals());
                assertTrue(load.accepted().size() > 200, "the load ran: " + load.accepted().size());
                load.assertBilledExactly(upstream, agent, ADMIN);
                if (!StoreOutage.isPostgresql()) {
                    // the embedded store stays bounded by its data (H2's file once grew to 2.8 GB in this soak)
                    StoreFiles files = StoreFiles.of(work.resolve("data"));
                    System.out.println("chaos: store after the soak: " + files);
                    assertTrue(files.ratio() <= 3, "the store's files outgrew their data: " + files);
                }
            }
        }
    }

    /** @return each call that arrived after a Retry-After answer (and its in-flight allowance) and before it ran out */
    private static List<String> callsDuringHolds(List<Call> calls, List<Hold> holds) {
        List<String> violations = new ArrayList<>();
        for (Hold hold : holds) {
            for (Call call : calls) {
                if (call.arrivedNanos() > hold.answeredNanos() + IN_FLIGHT_NANOS && call.arrivedNanos() < hold.untilNanos()) {
                    violations.add(call.method() + " " + call.path() + " " + TimeUnit.NANOSECONDS.toMillis(
                            call.arrivedNanos() - hold.answeredNanos()) + " ms into a hold of "
                            + TimeUnit.NANOSECONDS.toMillis(hold.untilNanos() - hold.answeredNanos()) + " ms");
                }
            }
        }
        return violations;
    }

    /** @return the most calls that arrived within any span of {@code windowNanos} */
    private static int busiestWindow(List<Call> calls, long windowNanos) {
        long[] t = calls.stream().mapToLong(Call::arrivedNanos).sorted().toArray();
        int most = 0;
        for (int first = 0, last = 0; first < t.length; first++) {
            while (last < t.length && t[last] - t[first] < windowNanos) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }
}
