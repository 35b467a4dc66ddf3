package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.NotificationReceiver;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * Usage thresholds with two agents on one PostgreSQL outbox: every org's events arrive through both agents at
 * once, and each threshold an org crosses is told exactly once by the fleet, each notification delivered once.
 * Runs on the PostgreSQL pass only (the embedded SQLite store serves one agent process).
 */
class FleetThresholdIT {

    private static final int ORGS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoAgentsTellEachCrossingOnce(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("quarkus.datasource.db-kind")),
                "needs the PostgreSQL build (./mvnw verify -Ppostgresql)");
        NotificationReceiver receiver = new NotificationReceiver();
        Map<String, String> notifications = receiver.start();
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings("fleet-admin");
            config.putAll(notifications);
            config.put("agent.notifications.types", "io.vendorusage.usage.threshold-crossed");
            config.put("agent.apps.\"" + TestEvents.SUM_APP + "\".usage-thresholds", "100,1000");
            config.put("agent.genesys.rate-limit-per-minute", "6000");
            List<AgentProcess> agents = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    AgentProcess.startOneOf(agents, work, config);
                }
                List<String> orgs = TestEvents.newOrgs(ORGS);
                // 1,500 events of 1 per org, in requests of 100 (10 per org), sent to both agents in turn
                Instant at = Instant.now().minusSeconds(120);
                for (int request = 0; request < 150; request++) {
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        Map<String, Object> e = TestEvents.event(TestEvents.newId());
                        e.put("organizationId", orgs.get(i % ORGS));
                        e.put("appId", TestEvents.SUM_APP);
                        e.put("quantity", 1);
                        e.put("occurredAt", at.toString());
                        events.add(e);
                    }
                    given().baseUri(agents.get(request % 2).baseUrl())
                            .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).contentType(ContentType.JSON)
                            .body(events).post("/v1/usage-events").then().statusCode(202);
                }
                Awaitility.await("two crossings per org delivered").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200)).until(() -> delivered(receiver, orgs).size() == 2 * ORGS);
                Map<String, List<String>> byCrossing = new TreeMap<>();
                for (NotificationReceiver.Received r : delivered(receiver, orgs)) {
                    JsonNode data = JSON.readTree(r.body()).path("data");
                    byCrossing.computeIfAbsent(data.path("organizationId").asText() + " " + data.path("threshold")
                            .asText(), k -> new ArrayList<>()).add(r.id());
                }
                assertEquals(2 * ORGS, byCrossing.size(), byCrossing.toString());
                byCrossing.forEach((crossing, ids) -> assertEquals(1, ids.size(), crossing + " told " + ids));
                // the store holds no second notification of any crossing (a once-key cannot be written twice)
                List<String> subjects = given().baseUri(agents.get(1).baseUrl())
                        .header("Authorization", "Bearer fleet-admin").get("/v1/notifications?limit=1000").then()
                        .statusCode(200).extract().jsonPath().getList("subject");
                List<String> stored = subjects.stream().filter(orgs::contains).toList();
                assertEquals(2 * ORGS, stored.size(), stored.toString());
                Map<String, Long> deliveries = receiver.received().stream().collect(Collectors.groupingBy(
                        NotificationReceiver.Received::id, Collectors.counting()));
                deliveries.forEach((id, n) -> assertEquals(1, n, id + " delivered " + n + " times"));
                System.out.printf("fleet thresholds: 2 agents, %d orgs, %d crossings told once each%n", ORGS,
                        byCrossing.size());
            } finally {
                for (AgentProcess a : agents) {
                    a.close();
                }
            }
        } finally {
            receiver.stop();
        }
    }

    private static List<NotificationReceiver.Received> delivered(NotificationReceiver receiver, List<String> orgs) {
        return receiver.received().stream().filter(r -> r.answered() == 204)
                .filter(r -> orgs.stream().anyMatch(o -> r.body().contains(o))).toList();
    }
}
