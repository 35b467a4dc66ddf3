package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * The packaged agent under load is killed with SIGKILL at random instants ({@code crash.kills} times,
 * 20 by default) and restarted, while a fake Genesys bills some POSTs and answers 504, refuses others with
 * 429, and answers slowly. The client resends every batch until it gets 202. At the end, after
 * reconciliation has settled what was uncertain, the upstream bills exactly the accepted events: sums for
 * sum apps, peaks for high-water-mark apps. Zero lost, zero doubled.
 */
class CrashSafetyIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final String SUM_APP = TestEvents.SUM_APP;
    private static final String PEAK_APP = TestEvents.PEAK_APP;

    /** An accepted event: what the upstream must end up billing. */
    private record Sent(String org, String app, BigDecimal quantity) {
    }

    @Test
    void killedRepeatedlyUnderLoadTheUpstreamEndsUpBillingExactlyTheAcceptedEvents(@TempDir Path work)
            throws Exception {
        List<String> orgs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            orgs.add(UUID.randomUUID().toString());
        }
        try (FakeGenesys upstream = new FakeGenesys(Set.of(PEAK_APP))) {
            upstream.misbehave(0.15, 0.05, 15);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("agent.ingest.token", TestEvents.INGEST_TOKEN);
            config.put("agent.admin.token", "crash-admin");
            config.put("agent.apps.\"" + SUM_APP + "\".mode", "sum");
            config.put("agent.apps.\"" + PEAK_APP + "\".mode", "high-water-mark");
            config.put("agent.genesys.api-url", upstream.baseUrl());
            config.put("agent.genesys.login-url", upstream.baseUrl());
            config.put("agent.genesys.client-id", "crash");
            config.put("agent.genesys.client-secret", "crash-secret");
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            config.put("agent.submission.bucket", "PT2S");
            config.put("agent.submission.grace", "PT0S");
            config.put("agent.submission.interval", "PT0.3S");
            config.put("agent.submission.lease", "PT1S");
            config.put("agent.submission.retry-base", "PT0.05S");
            config.put("agent.submission.retry-max-delay", "PT0.5S");
            config.put("agent.reconciliation.interval", "PT1S");
            config.put("agent.reconciliation.regions", "us-east-1");
            config.put("agent.reconciliation.upstream-lag", "PT1S");
            config.put("agent.outbox.stats-interval", "PT1S");

            List<Sent> accepted = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (AgentProcess agent = new AgentProcess(work, config)) {
                agent.start();
                Thread client = new Thread(() -> produce(agent, orgs, accepted, stop), "crash-client");
                client.start();
                Random random = new Random(11);
                long restartMs = 0;
                for (int k = 0; k < KILLS; k++) {
                    Thread.sleep(300 + random.nextInt(1700));
                    agent.killHard();
                    restartMs += agent.start();
                }
                stop.set(true);
                client.join(60_000);

                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                Map<String, Map<String, BigDecimal>> expected = expected(accepted);
                while (Instant.now().isBefore(deadline) && !settled(agent, orgs, upstream, expected)) {
                    Thread.sleep(1000);
                }
                System.out.printf("crash: %d kills survived (restart to ready %d ms on average), %d events accepted,"
                        + " upstream answers %s%n", KILLS, restartMs / KILLS, accepted.size(), upstream.answers());
                for (String org : orgs) {
                    assertEquals(expected.getOrDefault(org, Map.of()).toString(),
                            normalized(upstream.totals().getOrDefault(org, Map.of())).toString(),
                            "billed for org " + org + " (ledger: " + ledger(agent, org) + ")");
                }
                assertTrue(accepted.size() > 100, "the load ran: " + accepted.size());
            }
        }
    }

    /** Sends batches of 1..20 events until stopped; every batch is resent until it gets a 202. */
    private static void produce(AgentProcess agent, List<String> orgs, List<Sent> accepted, AtomicBoolean stop) {
        Random random = new Random(3);
        int n = 0;
        while (!stop.get()) {
            List<Map<String, Object>> batch = new ArrayList<>();
            List<Sent> sent = new ArrayList<>();
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                String org = orgs.get(random.nextInt(orgs.size()));
                String app = random.nextInt(4) == 0 ? PEAK_APP : SUM_APP;
                BigDecimal q = BigDecimal.valueOf(random.nextInt(10_000_000), 3);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("eventId", "crash-" + (n++) + "-" + UUID.randomUUID());
                e.put("organizationId", org);
                e.put("appId", app);
                e.put("quantity", q);
                batch.add(e);
                sent.add(new Sent(org, app, q));
            }
            while (true) {
                try {
                    var response = given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                            .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(batch)
                            .post("/v1/usage-events");
                    if (response.statusCode() == 202) {
                        accepted.addAll(sent);
                        break;
                    }
                    if (response.statusCode() < 500) {
                        throw new IllegalStateException("batch refused: " + response.asString());
                    }
                } catch (IllegalStateException refused) {
                    throw refused;
                } catch (Exception agentDown) { // RestAssured also throws checked I/O exceptions
                    // killed or restarting: resend the same batch, same ids
                }
                sleepQuietly(100);
            }
        }
    }

    private static Map<String, Map<String, BigDecimal>> expected(List<Sent> accepted) {
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (Sent s : accepted) {
            totals.computeIfAbsent(s.org(), k -> new TreeMap<>()).merge(s.app(), s.quantity(),
                    PEAK_APP.equals(s.app()) ? BigDecimal::max : BigDecimal::add);
        }
        totals.replaceAll((k, v) -> normalized(v));
        return totals;
    }

    private static Map<String, BigDecimal> normalized(Map<String, BigDecimal> byApp) {
        Map<String, BigDecimal> n = new TreeMap<>();
        byApp.forEach((k, v) -> n.put(k, v.stripTrailingZeros()));
        return n;
    }

    /** Totals match and nothing of these orgs is still planned, in flight or uncertain (no resend to come). */
    private static boolean settled(AgentProcess agent, List<String> orgs, FakeGenesys upstream,
            Map<String, Map<String, BigDecimal>> expected) {
        for (String state : List.of("planned", "sending", "uncertain")) {
            try {
                List<String> open = given().baseUri(agent.baseUrl()).header("Authorization", "Bearer crash-admin")
                        .get("/v1/submissions?limit=1000&state=" + state).then().extract().jsonPath()
                        .getList("organizationId");
                if (open.stream().anyMatch(orgs::contains)) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        for (String org : orgs) {
            if (!expected.getOrDefault(org, Map.of()).equals(normalized(upstream.totals().getOrDefault(org, Map.of())))) {
                return false;
            }
        }
        return true;
    }

    private static String ledger(AgentProcess agent, String org) {
        try {
            return given().baseUri(agent.baseUrl()).header("Authorization", "Bearer crash-admin")
                    .get("/v1/submissions?limit=1000").then().extract().jsonPath()
                    .getList("findAll { it.organizationId == '" + org + "' }.collect { it.state + ':' + it.quantity }")
                    .toString();
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
