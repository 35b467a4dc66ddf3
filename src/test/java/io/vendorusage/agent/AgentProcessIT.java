package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.TestEvents;

/** The packaged agent as a real process: crash safety of accepted events, and start-up checks. */
class AgentProcessIT {

    private static final String USAGE = "/api/v2/billing/vendorusage/organizations/";

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
            // without agent.admin.token the operator API is off
            given().baseUri(agent.baseUrl()).get("/v1/status").then().statusCode(403)
                    .body("detail", org.hamcrest.Matchers.containsString("agent.admin.token"));
            System.out.printf("figures: first start ready in %d ms, RSS after start %d MiB (-Xmx256m)%n", readyMs,
                    rss / 1024);
            given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(batch)
                    .post("/v1/usage-events").then().statusCode(202).body("accepted", equalTo(200));
            // the 202 is the promise: kill at once, before any orderly shutdown could flush anything
            agent.killHard();

            long restartMs = agent.start();
            System.out.printf("figures: restart after kill -9 ready in %d ms%n", restartMs);
            for (String id : ids) {
                given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                        .get("/v1/usage-events/{id}", id).then().statusCode(200).body("status", equalTo("pending"));
            }
        }
    }

    // one value of each kind of check through a real start; every single-value bound is in ConfigRulesTest
    @Tag("store-independent") // refused before the store is touched
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "agent.apps.\"premium-minutes\".mode | per-minute | agent.apps.\"premium-minutes\".mode",
            "agent.submission.bucket | -PT1H | agent.submission.bucket must be at least PT1S, not PT-1H",
            "agent.submission.grace | soon | agent.submission.grace",
            "agent.ingest.token-file | /nonexistent/ingest-token | agent.ingest.token-file",
            "agent.genesys.client-secret-file | /nonexistent/secret | agent.genesys.client-secret-file",
            "agent.genesys.region | eu-west-3 | agent.genesys.region",
            "agent.submission.lease | PT30S | agent.submission.lease: PT30S must be longer than quarkus.rest-client.genesys.connect-timeout",
            "agent.genesys.trust-store | /etc/ca.p12 | agent.genesys.trust-store in SysPropConfigSource does not map to any root",
            "quarkus.tls.genesys.trust-all | true | certificate and host name are always verified",
            "quarkus.tls.genesys.trust-store.pem.certs | /nonexistent/ca.pem | /nonexistent/ca.pem",
            "agent.notifications.url | http://127.0.0.1:9/hooks | agent.notifications.secret",
            "agent.notifications.types | io.vendorusage.record.lost | agent.notifications.types",
            "agent.apps.\"premium-minutes\".usage-thresholds | 100,-5 | usage-thresholds" })
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
    void secretsNeverAppearInTheLogStatusOrMetrics(@TempDir Path work) throws Exception {
        Map<String, String> config = baseConfig();
        config.put("agent.ingest.token", "ingest-secret-" + newId());
        config.put("agent.admin.token", "admin-secret-" + newId());
        config.put("agent.genesys.client-secret", "client-secret-" + newId());
        config.put("agent.genesys.client-id", "it-client");
        // a webhook URL often carries its own secret in the path; the signing key is one
        config.put("agent.notifications.url", "http://127.0.0.1:9/hooks/path-secret-" + newId().substring(4));
        config.put("agent.notifications.secret", "whsec_" + java.util.Base64.getEncoder().encodeToString(
                newId().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (AgentProcess agent = new AgentProcess(work, config)) {
            agent.start();
            given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer wrong-" + config.get("agent.ingest.token"))
                    .body(event(newId())).post("/v1/usage-events").then().statusCode(401);
            String status = given().baseUri(agent.baseUrl())
                    .header("Authorization", "Bearer " + config.get("agent.admin.token")).get("/v1/status")
                    .then().statusCode(200).extract().asString();
            String metrics = given().get(agent.managementUrl() + "/q/metrics").then().statusCode(200).extract()
                    .asString();
            given().get(agent.managementUrl() + "/v1/status").then().statusCode(404); // no operator API here
            agent.close();
            String log = agent.output();
            String urlSecret = config.get("agent.notifications.url").substring(config.get("agent.notifications.url")
                    .indexOf("path-secret-"));
            assertTrue(!status.contains(urlSecret) && !metrics.contains(urlSecret), "the URL's path leaked");
            for (String key : List.of("agent.ingest.token", "agent.admin.token", "agent.genesys.client-secret",
                    "agent.notifications.secret")) {
                String secret = config.get(key).replace("whsec_", "");
                assertTrue(!log.contains(secret), key + " leaked into the log");
                assertTrue(!status.contains(secret), key + " leaked into /v1/status");
                assertTrue(!metrics.contains(secret), key + " leaked into the metrics");
            }
        }
    }

    @Test
    void killedMidPostLeavesTheSumRecordUncertainAndNeverResendsIt(@TempDir Path work) throws Exception {
        WireMockServer upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        try {
            upstream.stubFor(post(urlPathEqualTo("/oauth/token"))
                    .willReturn(okJson("{\"access_token\":\"t\",\"expires_in\":3600}")));
            upstream.stubFor(post(urlPathMatching(USAGE + ".*"))
                    .willReturn(okJson("{\"id\":\"u\"}").withFixedDelay(20_000)));
            Map<String, String> config = baseConfig();
            config.put("agent.admin.token", "it-admin");
            config.put("agent.genesys.api-url", upstream.baseUrl());
            config.put("agent.genesys.login-url", upstream.baseUrl());
            config.put("agent.genesys.client-id", "it");
            config.put("agent.genesys.client-secret", "it-secret");
            config.put("agent.submission.enabled", "false");
            config.put("agent.submission.lease", "PT1S");
            // the lease must outlast a POST; the agent is killed long before this timeout could end it
            config.put("quarkus.rest-client.genesys.connect-timeout", "100");
            config.put("quarkus.rest-client.genesys.read-timeout", "800");
            try (AgentProcess agent = new AgentProcess(work, config)) {
                agent.start();
                String id = newId();
                String org = java.util.UUID.randomUUID().toString();
                Map<String, Object> event = event(id);
                event.put("organizationId", org);
                given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                        .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(event)
                        .post("/v1/usage-events").then().statusCode(202);
                Thread flusher = new Thread(() -> {
                    try {
                        given().baseUri(agent.baseUrl()).header("Authorization", "Bearer it-admin")
                                .post("/v1/submissions/flush");
                    } catch (RuntimeException expected) {
                        // the agent dies under this call
                    }
                });
                flusher.start();
                Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> upstream.findAll(postRequestedFor(urlPathMatching(USAGE + ".*"))).size() == 1);
                agent.killHard(); // the POST has reached the upstream; its answer never comes back
                flusher.join(10_000);

                agent.start();
                given().baseUri(agent.baseUrl()).header("Authorization", "Bearer it-admin")
                        .post("/v1/submissions/flush").then().statusCode(200);
                // on PostgreSQL the store is shared with the rest of the suite: look at this org's record only
                given().baseUri(agent.baseUrl()).header("Authorization", "Bearer it-admin")
                        .get("/v1/submissions?state=uncertain&limit=1000").then().statusCode(200)
                        .body("findAll { it.organizationId == '" + org + "' }.size()", equalTo(1))
                        .body("find { it.organizationId == '" + org + "' }.lastOutcome", equalTo("interrupted"));
                given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                        .get("/v1/usage-events/{id}", id).then().body("status", equalTo("pending"));
                assertEquals(1, upstream.findAll(postRequestedFor(urlPathMatching(USAGE + org))).size(),
                        "a sum record whose POST may have been billed is never resent blindly");
            }
        } finally {
            upstream.stop();
        }
    }

    @Test
    void jsonLogsCarryEverySubmissionDecisionOnceWithItsIdentity(@TempDir Path work) throws Exception {
        Map<String, String> config = baseConfig();
        config.put("agent.log.json", "true");
        config.put("agent.sandbox.enabled", "true");
        config.put("agent.admin.token", "it-admin");
        config.put("agent.submission.enabled", "false");
        String org = java.util.UUID.randomUUID().toString();
        try (AgentProcess agent = new AgentProcess(work, config)) {
            agent.start();
            Map<String, Object> event = event(newId());
            event.put("organizationId", org);
            given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(event)
                    .post("/v1/usage-events").then().statusCode(202);
            given().baseUri(agent.baseUrl()).header("Authorization", "Bearer it-admin")
                    .post("/v1/submissions/flush").then().statusCode(200).body("confirmed", equalTo(1));
            agent.close();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
            for (String line : agent.output().split("\n")) {
                if (line.startsWith("{")) {
                    records.add(json.readTree(line)); // every JSON line must parse
                }
            }
            assertTrue(records.size() > 3, "the console switched to JSON:\n" + agent.output());
            List<String> decisions = records.stream().map(r -> r.get("message").asText())
                    .filter(m -> m.startsWith("Submission ") && m.contains("org=" + org)).toList();
            assertEquals(1, decisions.size(), "one log line per decision: " + decisions);
            String line = decisions.get(0);
            for (String part : List.of("confirmed", "app=premium-minutes", "bucket=", "revision=1", "correlationId=")) {
                assertTrue(line.contains(part), part + " missing from " + line);
            }
        }
    }
}
