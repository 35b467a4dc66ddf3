package io.vendorusage.agent.sandbox;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.TestEvents;

/** The whole flow without credentials: ingest, flush, and the built-in sandbox upstream bills it. */
@QuarkusTest
@TestProfile(SandboxEndToEndTest.SandboxProfile.class)
class SandboxEndToEndTest {

    public static class SandboxProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the agent bills premium-wallboards by its peak; the sandbox (like a Genesys app defined otherwise) sums it
            return Map.of("agent.sandbox.enabled", "true", "agent.sandbox.high-water-mark-apps", "premium-seats",
                    "agent.apps.\"premium-wallboards\".mode", "high-water-mark");
        }
    }

    private static String sandboxToken() {
        return given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes()))
                .post("/sandbox/genesys/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void eventsFlowThroughTheAgentIntoTheSandboxTotals() {
        String org = UUID.randomUUID().toString();
        List<Map<String, Object>> events = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < 50; i++) {
            Map<String, Object> e = TestEvents.event(newId());
            e.put("organizationId", org);
            e.remove("occurredAt");
            BigDecimal q = new BigDecimal(i).add(new BigDecimal("0.5"));
            e.put("quantity", q);
            total = total.add(q);
            events.add(e);
        }
        Map<String, Object> seats = TestEvents.event(newId());
        seats.put("organizationId", org);
        seats.remove("occurredAt");
        seats.put("appId", TestEvents.PEAK_APP);
        seats.put("quantity", 12);
        events.add(seats);
        ingest().body(events).post("/v1/usage-events").then().statusCode(202);

        TestEvents.operator().get("/v1/status").then()
                .body("upstream.sandbox", equalTo(true)).body("upstream.state", equalTo("ok"));
        TestEvents.operator().post("/v1/submissions/flush").then()
                .statusCode(200);

        String token = sandboxToken();
        Map<String, Object> detail = given().header("Authorization", "Bearer " + token)
                .get("/sandbox/genesys/api/v2/billing/vendorusage/organizations/{org}", org).then().statusCode(200)
                .extract().jsonPath().getMap("");
        List<Map<String, Object>> usages = (List<Map<String, Object>>) detail.get("usages");
        Map<String, BigDecimal> billed = new java.util.HashMap<>();
        for (Map<String, Object> u : usages) {
            billed.put((String) u.get("appId"), new BigDecimal(u.get("usageQuantity").toString()));
        }
        assertEquals(0, total.compareTo(billed.get(TestEvents.SUM_APP)), "billed " + billed);
        assertEquals(0, new BigDecimal(12).compareTo(billed.get(TestEvents.PEAK_APP)));
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                .get("/v1/usage-events/{id}", events.get(0).get("eventId")).then().body("status", equalTo("submitted"));
        given().header("Authorization", "Bearer " + token)
                .get("/sandbox/genesys/api/v2/billing/vendorusage/organizations?pageSize=200").then().statusCode(200)
                .body("entities.find { it.id == '" + org + "' }.usageQuantities.'premium-seats'", equalTo(12));

        // reconciliation reads the sandbox's usage queries back: both sides agree
        TestEvents.operator().post("/v1/reconciliation/run").then()
                .statusCode(200).body("outcome", equalTo("success"));
        TestEvents.operator().get("/v1/reconciliation?org=" + org)
                .then().statusCode(200)
                .body("rows.find { it.appId == 'premium-minutes' }.status", equalTo("match"))
                .body("rows.find { it.appId == 'premium-seats' }.status", equalTo("match"));
    }

    /** @return an org whose sandbox billing period holds the last three hours, whatever the time of day */
    private static String orgWithThreeHoursInItsPeriod() {
        java.time.Instant now = java.time.Instant.now();
        while (true) {
            String org = UUID.randomUUID().toString();
            if (SandboxUsage.periodOf(org, now).contains(now.minus(java.time.Duration.ofHours(3)))) {
                return org;
            }
        }
    }

    private static Map<String, Object> valueOf(String org, String app, int quantity, int hoursAgo) {
        Map<String, Object> e = TestEvents.event(newId());
        e.put("organizationId", org);
        e.put("appId", app);
        e.put("quantity", quantity);
        e.put("occurredAt", java.time.Instant.now().minus(java.time.Duration.ofHours(hoursAgo)).toString());
        return e;
    }

    @Test
    void theSandboxBillsByItsOwnAppModesSoAMismatchShowsAsDrift() {
        String org = orgWithThreeHoursInItsPeriod();
        // two windows each: a peak of 7, then of 12 (both sent: the second is a new peak)
        ingest().body(List.of(valueOf(org, TestEvents.PEAK_APP, 7, 2), valueOf(org, TestEvents.PEAK_APP, 12, 1),
                valueOf(org, "premium-wallboards", 7, 2), valueOf(org, "premium-wallboards", 12, 1)))
                .post("/v1/usage-events").then().statusCode(202);
        TestEvents.operator().post("/v1/submissions/flush").then().statusCode(200);
        given().header("Authorization", "Bearer " + sandboxToken())
                .get("/sandbox/genesys/api/v2/billing/vendorusage/organizations?pageSize=200").then().statusCode(200)
                .body("entities.find { it.id == '" + org + "' }.usageQuantities.'premium-seats'", equalTo(12))
                .body("entities.find { it.id == '" + org + "' }.usageQuantities.'premium-wallboards'", equalTo(19));
        TestEvents.operator().post("/v1/reconciliation/run").then().statusCode(200);
        TestEvents.operator().get("/v1/reconciliation?org=" + org).then().statusCode(200)
                .body("rows.find { it.appId == 'premium-seats' }.status", equalTo("match"))
                .body("rows.find { it.appId == 'premium-wallboards' }.status", equalTo("drift"));
    }

    @Test
    void sandboxRefusesCallsWithoutItsToken() {
        given().contentType("application/json").body("{\"appId\":\"a\",\"usageQuantity\":1,\"dateOccurred\":\"2026-01-01T00:00:00Z\"}")
                .post("/sandbox/genesys/api/v2/billing/vendorusage/organizations/x").then().statusCode(401);
    }
}
