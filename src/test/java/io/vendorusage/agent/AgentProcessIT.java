package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.TestEvents;

/** The packaged agent as a real process: crash safety of accepted events, and start-up checks. */
class AgentProcessIT {

    private static Map<String, String> baseConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("agent.ingest.token", TestEvents.INGEST_TOKEN);
        config.put("agent.apps.\"premium-minutes\".mode", "sum");
        return config;
    }

    @Test
    void acceptedEventsSurviveKillDashNineAndRestart(@TempDir Path work) throws Exception {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = newId();
            ids.add(id);
            batch.add(event(id));
        }
        try (AgentProcess agent = new AgentProcess(work, baseConfig())) {
            long readyMs = agent.start();
            long rss = agent.rssKib();
            System.out.printf("figures: first start ready in %d ms, RSS after start %d MiB (-Xmx256m)%n", readyMs,
                    rss / 1024);
            given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(batch)
                    .post("/v1/usage-events").then().statusCode(202).body("accepted", equalTo(200));
            // the 202 is the promise: kill at once, before any orderly shutdown could flush anything
            agent.killHard();

            given().baseUri(agent.baseUrl()).get("/v1/status").then().statusCode(403)
                    .body("detail", org.hamcrest.Matchers.containsString("agent.admin.token"));

            long restartMs = agent.start();
            System.out.printf("figures: restart after kill -9 ready in %d ms%n", restartMs);
            for (String id : ids) {
                given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                        .get("/v1/usage-events/{id}", id).then().statusCode(200).body("status", equalTo("pending"));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "agent.apps.\"premium-minutes\".mode | per-minute | agent.apps.\"premium-minutes\".mode",
            "agent.submission.bucket | -PT1H | agent.submission.bucket",
            "agent.submission.grace | soon | agent.submission.grace",
            "agent.genesys.region | US_EAST | agent.genesys.region",
            "agent.genesys.rate-limit-per-minute | 0 | agent.genesys.rate-limit-per-minute",
            "agent.ingest.token-file | /nonexistent/ingest-token | agent.ingest.token-file" })
    void badConfigurationStopsStartUpNamingTheProperty(String property, String value, String named,
            @TempDir Path work) throws Exception {
        Map<String, String> config = baseConfig();
        config.put(property, value);
        try (AgentProcess agent = new AgentProcess(work, config)) {
            agent.launch();
            int exit = agent.awaitExit(Duration.ofSeconds(60));
            String output = agent.output();
            assertNotEquals(0, exit, output);
            assertTrue(output.contains(named), "the failure must name " + named + ":\n" + output);
        }
    }

    @Test
    void secretsNeverAppearInTheLog(@TempDir Path work) throws Exception {
        Map<String, String> config = baseConfig();
        config.put("agent.ingest.token", "ingest-secret-" + newId());
        config.put("agent.admin.token", "admin-secret-" + newId());
        config.put("agent.genesys.client-secret", "client-secret-" + newId());
        try (AgentProcess agent = new AgentProcess(work, config)) {
            agent.start();
            given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer wrong-" + config.get("agent.ingest.token"))
                    .body(event(newId())).post("/v1/usage-events").then().statusCode(401);
            agent.close();
            String log = agent.output();
            for (String key : List.of("agent.ingest.token", "agent.admin.token", "agent.genesys.client-secret")) {
                assertTrue(!log.contains(config.get(key)), key + " leaked into the log");
            }
        }
    }
}
