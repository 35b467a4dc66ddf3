package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ManagementEndpointsTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private String scrape() {
        return given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString();
    }

    private static double value(String exposition, String series) {
        Matcher m = matcher(exposition, series);
        assertTrue(m.find(), series + " missing from:\n" + exposition);
        return Double.parseDouble(m.group(1));
    }

    private static double valueOrZero(String exposition, String series) {
        Matcher m = matcher(exposition, series);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** One series' sample; a label set given as {@code name{a="b"} matches with or without a trailing comma. */
    private static Matcher matcher(String exposition, String series) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:,?\\}|\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(exposition);
    }

    @Test
    void readinessChecksStore() {
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"));
        given().get(live).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void exportsIngestMetricsUnderTheirContractNames() {
        ingest().body(event(newId())).post("/v1/usage-events").then().statusCode(202);
        String text = scrape();
        for (String name : new String[] { "vendorusage_events_ingested_total", "vendorusage_events_duplicate_total",
                "vendorusage_outbox_pending_events", "vendorusage_outbox_oldest_pending_age_seconds" }) {
            assertTrue(text.contains("\n" + name + " ") || text.contains("\n" + name + "{"), name + " missing");
        }
    }

    @Test
    void countsAcceptedDuplicateAndRejectedByReason() {
        String before = scrape();
        double accepted = value(before, "vendorusage_events_ingested_total");
        double duplicates = value(before, "vendorusage_events_duplicate_total");
        String malformedSeries = "vendorusage_ingest_rejected_total{reason=\"malformed-json\"";
        String unauthorizedSeries = "vendorusage_ingest_rejected_total{reason=\"unauthorized\"";
        double malformed = valueOrZero(before, malformedSeries);
        double unauthorized = valueOrZero(before, unauthorizedSeries);
        Map<String, Object> event = event(newId());
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        ingest().body("{").post("/v1/usage-events").then().statusCode(400);
        given().contentType("application/json").body(event(newId())).post("/v1/usage-events").then().statusCode(401);
        String after = scrape();
        assertTrue(value(after, "vendorusage_events_ingested_total") >= accepted + 1);
        assertTrue(value(after, "vendorusage_events_duplicate_total") >= duplicates + 1);
        assertTrue(value(after, malformedSeries) >= malformed + 1);
        assertTrue(value(after, unauthorizedSeries) >= unauthorized + 1);
    }

    @Test
    void backlogGaugesFollowThePendingEvents() {
        ingest().body(event(newId())).post("/v1/usage-events").then().statusCode(202);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = scrape();
            assertTrue(value(text, "vendorusage_outbox_pending_events") >= 1);
            assertTrue(value(text, "vendorusage_outbox_oldest_pending_age_seconds") > 0);
        });
    }

    @Test
    void managementPortDoesNotServeTheApi() {
        String base = metrics.toString().replace("/q/metrics", "").replace("/metrics", "");
        given().get(base + "/v1/usage-events/x").then().statusCode(404);
    }
}
