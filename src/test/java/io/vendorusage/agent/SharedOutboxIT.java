package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UsageLoad;

/**
 * Three agent processes share one PostgreSQL outbox, ingesting and submitting at once; one is killed
 * mid-run. The fake upstream bills every POST it gets, so a record sent twice would show as
 * over-billing: the totals must equal the accepted events exactly, and no record may stay behind (what
 * the killed agent had in flight is settled by reconciliation). A tenth of the POSTs are billed but answered
 * 504, so uncertain records wait for reconciliation, and the usage queries are slow, so the agents' runs (one a
 * second each) meet: only one agent may reconcile at a time, the others skip their turn and say so.
 * Runs on the PostgreSQL pass only (the embedded SQLite store serves one agent process).
 */
class SharedOutboxIT {

    private static final String ADMIN = "shared-admin";

    /**
     * The store's run history (every agent writes to it): runs that reconciled never overlap in time, and turns
     * were skipped while another agent was reconciling.
     *
     * @return how many turns were skipped
     */
    private static int assertOneReconcilerAtATime(AgentProcess agent) {
        List<Map<String, Object>> runs = given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + ADMIN)
                .get("/v1/reconciliation/runs?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
        List<Map<String, Object>> reconciled = new ArrayList<>(runs.stream()
                .filter(r -> !"skipped".equals(r.get("outcome"))).toList());
        reconciled.sort(java.util.Comparator.comparing(r -> Instant.parse((String) r.get("startedAt"))));
        for (int i = 1; i < reconciled.size(); i++) {
            Instant previousEnd = Instant.parse((String) reconciled.get(i - 1).get("finishedAt"));
            Instant start = Instant.parse((String) reconciled.get(i).get("startedAt"));
            assertFalse(start.isBefore(previousEnd), "two agents reconciled at once: " + reconciled.get(i - 1)
                    + " and " + reconciled.get(i));
        }
        int skipped = runs.size() - reconciled.size();
        assertTrue(reconciled.size() > 1 && skipped > 0, "runs " + reconciled.size() + ", skipped " + skipped);
        return skipped;
    }

    /**
     * A schema of this test's own on the CI's database: the run history it checks holds only its three agents'
     * runs. The {@code @QuarkusTest} suites write runs to the default schema at their test clock's time, which
     * tests move ahead, so runs of theirs can bear times inside this test's minute. Advisory locks are per
     * database, so the agents still contend for the one reconciliation lock as a fleet does.
     *
     * @return the JDBC URL of a new, empty schema
     */
    private static String ownSchema() throws java.sql.SQLException {
        String base = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        String user = System.getenv("QUARKUS_DATASOURCE_USERNAME");
        String schema = "shared_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base, user, "");
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Test
    void threeAgentsOnOneOutboxNeverSendARecordTwice(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "needs the PostgreSQL build (./mvnw verify -Ppostgresql)");
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings(ADMIN);
            config.put("quarkus.datasource.jdbc.url", ownSchema());
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            config.put("agent.submission.bucket", "PT1S");
            config.put("agent.submission.interval", "PT0.2S");
            upstream.misbehave(0.1, 0, 0);
            upstream.slowQueries(700);
            List<AgentProcess> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    AgentProcess.startOneOf(agents, work, config);
                }
                Random pick = new Random(5);
                try (UsageLoad load = new UsageLoad(2, 10, 5)) {
                    // each batch goes to any agent; one that is down makes the client try another
                    load.start(() -> agents.get(pick.nextInt(agents.size())));
                    Thread.sleep(4000);
                    agents.get(1).killHard(); // one agent dies mid-run and stays down for a while
                    Thread.sleep(4000);
                    agents.get(1).start();
                    Thread.sleep(3000);
                    load.stop();

                    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                    while (Instant.now().isBefore(deadline) && !load.billedExactly(upstream)) {
                        Thread.sleep(500);
                    }
                    Thread.sleep(3000); // anything sent twice would arrive by now
                    load.assertBilledExactly(upstream, agents.get(0), ADMIN);
                    // the fleet asked each org's billing period once: one agent claims the fetch, the others wait
                    Map<String, Integer> detailCalls = new java.util.TreeMap<>();
                    load.accepted().forEach(e -> detailCalls.put(e.org(), upstream.detailCalls(e.org())));
                    assertTrue(detailCalls.values().stream().allMatch(n -> n == 1), "detail GETs per org: "
                            + detailCalls);
                    int skipped = assertOneReconcilerAtATime(agents.get(0));
                    assertTrue(load.accepted().size() > 50, "the load ran: " + load.accepted().size());
                    System.out.printf("shared outbox: 3 agents (one killed), %d events, %d POSTs, %d answered 504;"
                            + " %d reconciliation turns skipped; %d orgs, %d detail GETs%n", load.accepted().size(),
                            upstream.billed().size(), upstream.answers().getOrDefault("POST 504", 0), skipped,
                            detailCalls.size(), detailCalls.values().stream().mapToInt(Integer::intValue).sum());
                }
            } finally {
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        }
    }
}
