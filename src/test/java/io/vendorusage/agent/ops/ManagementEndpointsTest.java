package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.testsupport.Scrape;

@QuarkusTest
class ManagementEndpointsTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private Scrape scrape() {
        return Scrape.of(metrics);
    }

    @Test
    void readinessChecksStore() {
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"));
        given().get(live).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'jobs' }.status", equalTo("UP"));
    }

    @Test
    void exportsIngestMetricsUnderTheirContractNames() {
        ingest().body(event(newId())).post("/v1/usage-events").then().statusCode(202);
        Scrape scrape = scrape();
        for (String name : new String[] { "vendorusage_events_ingested_total", "vendorusage_events_duplicate_total",
                "vendorusage_outbox_pending_events", "vendorusage_outbox_oldest_pending_age_seconds",
                "vendorusage_ingest_queue_events", "vendorusage_ingest_commit_events_count",
                "vendorusage_ingest_commit_events_sum",
                "vendorusage_outbox_purged_total", "vendorusage_ledger_records{state=\"planned\"",
                "vendorusage_ledger_records{state=\"uncertain\"", "vendorusage_circuit_open",
                "vendorusage_upstream_blocked_seconds", "vendorusage_upstream_rate_limited_total",
                "vendorusage_submission_last_confirmed_timestamp_seconds",
                "vendorusage_submission_drain_seconds", "vendorusage_submission_records_due",
                "vendorusage_submission_oldest_due_period_close_seconds",
                "vendorusage_period_close_seconds", "vendorusage_period_overdue_events",
                "vendorusage_reconciliation_runs_total{outcome=\"success\"",
                "vendorusage_reconciliation_last_success_timestamp_seconds",
                "vendorusage_reconciliation_rows{status=\"drift\"",
                "vendorusage_reconciliation_drift_quantity{app=\"premium-minutes\"" }) {
            assertTrue(scrape.has(name), name + " missing");
        }
    }

    @Test
    void countsAcceptedDuplicateAndRejectedByReason() {
        Scrape before = scrape();
        double accepted = before.value("vendorusage_events_ingested_total");
        double duplicates = before.value("vendorusage_events_duplicate_total");
        String malformedSeries = "vendorusage_ingest_rejected_total{reason=\"malformed-json\"";
        String unauthorizedSeries = "vendorusage_ingest_rejected_total{reason=\"unauthorized\"";
        String conflictSeries = "vendorusage_ingest_rejected_total{reason=\"event-conflict\"";
        String mediaSeries = "vendorusage_ingest_rejected_total{reason=\"unsupported-media-type\"";
        double malformed = before.valueOrZero(malformedSeries);
        double unauthorized = before.valueOrZero(unauthorizedSeries);
        double conflicts = before.valueOrZero(conflictSeries);
        double media = before.valueOrZero(mediaSeries);
        Map<String, Object> event = event(newId());
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        ingest().body("{").post("/v1/usage-events").then().statusCode(400);
        given().contentType("application/json").body(event(newId())).post("/v1/usage-events").then().statusCode(401);
        Map<String, Object> other = new java.util.HashMap<>(event);
        other.put("quantity", 99);
        ingest().body(other).post("/v1/usage-events").then().statusCode(409);
        ingest().contentType("text/plain").body("x").post("/v1/usage-events").then().statusCode(415);
        Scrape after = scrape();
        assertTrue(after.value("vendorusage_events_ingested_total") >= accepted + 1);
        assertTrue(after.value("vendorusage_events_duplicate_total") >= duplicates + 1);
        assertTrue(after.value(malformedSeries) >= malformed + 1);
        assertTrue(after.value(unauthorizedSeries) >= unauthorized + 1);
        assertTrue(after.value(conflictSeries) >= conflicts + 1, "a 409 from the outbox is counted");
        assertTrue(after.value(mediaSeries) >= media + 1, "a 415 before the resource method is counted");
    }

    @Test
    void backlogGaugesFollowThePendingEvents() {
        ingest().body(event(newId())).post("/v1/usage-events").then().statusCode(202);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape scrape = scrape();
            assertTrue(scrape.value("vendorusage_outbox_pending_events") >= 1);
            assertTrue(scrape.value("vendorusage_outbox_oldest_pending_age_seconds") > 0);
        });
    }

    @Test
    void managementPortDoesNotServeTheApi() {
        String base = metrics.toString().replace("/q/metrics", "").replace("/metrics", "");
        given().get(base + "/v1/usage-events/x").then().statusCode(404);
    }
}
