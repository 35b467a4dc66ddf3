package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * A backfill sent to two agents on one PostgreSQL outbox: 100,000 events for 100 (org, app) pairs of an hour of
 * yesterday, in 1000-event requests by 4 clients (two per agent), every request carrying events of every pair, with
 * the submitter on a one-second timer, no grace and the default quiet time. A window filled through both agents
 * is still planned once, after it has gone quiet: at most one POST per window plus 5 %, and exact totals.
 * Runs on the PostgreSQL pass only (the embedded SQLite store serves one agent process).
 */
class FleetBackfillIT {

    private static final int PAIRS = 100;
    private static final int REQUESTS = 100;
    private static final int EVENTS_PER_REQUEST = 1000;

    @Test
    void twoAgentsSendABackfillWindowOnceItIsQuiet(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "needs the PostgreSQL build (./mvnw verify -Ppostgresql)");
        try (FakeGenesys upstream = new FakeGenesys(java.util.Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings("fleet-admin");
            config.put("agent.submission.interval", "PT1S");
            config.remove("agent.submission.quiet"); // the default
            // the budget is not what this test measures: let the 100 detail GETs and POSTs through quickly
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            List<AgentProcess> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    AgentProcess.startOneOf(agents, work, config);
                }
                List<String> orgs = TestEvents.newOrgs(PAIRS);
                Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.DAYS);
                long t0 = System.nanoTime();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> sent = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    AgentProcess agent = agents.get(c % 2);
                    sent.add(clients.submit(() -> {
                        for (int request = client; request < REQUESTS; request += 4) {
                            List<Map<String, Object>> events = new ArrayList<>();
                            for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
                                Map<String, Object> e = TestEvents.event(TestEvents.newId());
                                e.put("organizationId", orgs.get(i % PAIRS));
                                e.put("appId", TestEvents.SUM_APP);
                                e.put("quantity", 1);
                                e.put("occurredAt", hour.plusSeconds(request * 30L + i % 30).toString());
                                events.add(e);
                            }
                            given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                                    .contentType(ContentType.JSON).body(events).post("/v1/usage-events").then()
                                    .statusCode(202);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
                clients.shutdown();
                double posted = (System.nanoTime() - t0) / 1e9;

                BigDecimal each = BigDecimal.valueOf((long) REQUESTS * EVENTS_PER_REQUEST / PAIRS);
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> orgs
                        .stream().allMatch(o -> each.compareTo(billed(upstream, o)) == 0));
                double confirmed = (System.nanoTime() - t0) / 1e9;
                // every event is billed; once every record of these orgs is confirmed, none can be sent again
                Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> allConfirmed(agents.get(0), orgs));
                for (String org : orgs) {
                    assertEquals(0, each.compareTo(billed(upstream, org)), "billed for " + org);
                }
                int posts = upstream.billed().size();
                System.out.printf("fleet backfill: 2 agents, %d events for %d windows posted in %.1f s: %d POSTs,"
                        + " all billed %.1f s after the first request%n", REQUESTS * EVENTS_PER_REQUEST, PAIRS, posted,
                        posts, confirmed);
                assertTrue(posts <= PAIRS * 105 / 100, posts + " POSTs for " + PAIRS + " windows");
            } finally {
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        }
    }

    /** @return whether no record of {@code orgs} is still open (planned, being sent, or of unknown outcome) */
    private static boolean allConfirmed(AgentProcess agent, List<String> orgs) {
        for (String state : List.of("planned", "sending", "uncertain", "failed")) {
            List<String> open = given().baseUri(agent.baseUrl()).header("Authorization", "Bearer fleet-admin")
                    .get("/v1/submissions?limit=1000&state=" + state).then().statusCode(200).extract().jsonPath()
                    .getList("organizationId");
            if (open.stream().anyMatch(orgs::contains)) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal billed(FakeGenesys upstream, String org) {
        return upstream.totals().getOrDefault(org, Map.of()).getOrDefault(TestEvents.SUM_APP, BigDecimal.ZERO);
    }
}
