package io.vendorusage.agent.reconciliation;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.vendorusage.agent.submission.Submission;
import io.vendorusage.agent.submission.SubmissionState;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Reconciliation against WireMock's per-region listings (UpstreamProfile: us-east-1 and eu-west-1, lag 2 s). */
@QuarkusTest
@TestProfile(ReconciliationTest.OwnStoreProfile.class)
class ReconciliationTest extends UpstreamTest {

    /** The billing period the upstream reports in these tests: the current UTC month, when the events occur. */
    private static final java.time.YearMonth MONTH = java.time.YearMonth.now(java.time.ZoneOffset.UTC);

    /** A store of its own: a report covers every org the agent knows, so other classes' records stay out. */
    public static class OwnStoreProfile extends UpstreamProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("agent.data-dir", "./target/reconciliation-test-data/" + UUID.randomUUID());
            return config;
        }
    }

    private static final String LIST = "/api/v2/billing/vendorusage/organizations";

    @Inject
    ReconciliationStore store;

    @Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @BeforeEach
    void quietRegions() {
        listing("eu-west-1", "{\"entities\":[]}");
        listing("us-east-1", "{\"entities\":[]}");
        // orgs of earlier tests may still hold uncertain records: their detail answers, without usage
        wiremock.stubFor(get(urlPathMatching(LIST + "/.*")).atPriority(10).willReturn(okJson(
                "{\"id\":\"x\",\"region\":\"us-east-1\",\"usages\":[]}")));
    }

    private void listing(String region, String body) {
        wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo(region)).atPriority(5)
                .willReturn(okJson(body)));
    }

    private static String entity(String org, String region, String app, Object quantity) {
        return "{\"id\":\"" + org + "\",\"name\":\"Acme\",\"region\":\"" + region + "\",\"usageQuantities\":{\""
                + app + "\":" + quantity + "}}";
    }

    private void upstreamBills(String app, Object quantity) {
        listing("us-east-1", "{\"entities\":[" + entity(orgId, "us-east-1", app, quantity) + "]}");
    }

    private void stubDetail(String start, String end) {
        wiremock.stubFor(get(urlPathEqualTo(LIST + "/" + orgId)).willReturn(okJson("{\"id\":\"" + orgId
                + "\",\"name\":\"Acme\",\"region\":\"us-east-1\",\"dateBillingPeriodStart\":\"" + start
                + "\",\"dateBillingPeriodEnd\":\"" + end + "\",\"contract\":{\"dateTermStart\":\"2026-01-01\","
                + "\"dateTermEnd\":\"2027-12-31T00:00:00Z\",\"currency\":\"USD\",\"dateRampPeriodStart\":null,"
                + "\"dateRampPeriodEnd\":null,\"type\":\"SomeNewContractType\"},\"usages\":[]}")));
    }

    private ValidatableResponse reconcile() {
        return TestEvents.operator().post("/v1/reconciliation/run")
                .then().statusCode(200);
    }

    private ValidatableResponse report() {
        return TestEvents.operator()
                .get("/v1/reconciliation?org=" + orgId).then().statusCode(200);
    }

    private Submission ingestAndSend(String app, Object quantity) {
        stubUsageOk();
        return ingestAndFlush(app, quantity);
    }

    /** Sends with whatever the usage endpoint is stubbed to answer. */
    private Submission ingestAndFlush(String app, Object quantity) {
        Map<String, Object> e = event(app, quantity);
        e.remove("occurredAt");
        ingest(List.of(e));
        flush();
        return records().get(records().size() - 1);
    }

    /** Past the profile's 2 s upstream lag, on the agent's clock. */
    private void lagPasses() {
        clock.advance(java.time.Duration.ofMillis(2100));
    }

    @Test
    void followsCursorsAcrossPagesWithBoundedPageSize() {
        String other = UUID.randomUUID().toString();
        wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("us-east-1"))
                .withQueryParam("after", absent()).willReturn(okJson("{\"entities\":["
                        + entity(orgId, "us-east-1", SUM_APP, 4) + "],\"nextUri\":\"" + LIST
                        + "?pageSize=200&after=cursor-2&region=us-east-1\"}")));
        wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("us-east-1"))
                .withQueryParam("after", equalTo("cursor-2")).willReturn(okJson("{\"entities\":["
                        + entity(other, "xx-new-region-9", SUM_APP, 2) + "]}")));
        reconcile().body("outcome", is("success"));
        wiremock.verify(2, getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("us-east-1"))
                .withQueryParam("pageSize", equalTo("200")));
        wiremock.verify(getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("appIds",
                equalTo("premium-minutes,premium-seats")));
        report().body("rows[0].status", is("unknown-org")).body("rows[0].upstreamQuantity", is(4));
        TestEvents.operator().get("/v1/reconciliation?org=" + other)
                .then().body("rows[0].region", is("xx-new-region-9"));
    }

    @Test
    void aFailingRegionMakesThePartialRunSayWhatIsMissing() {
        wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("eu-west-1")).atPriority(1)
                .willReturn(aResponse().withStatus(500)));
        upstreamBills(SUM_APP, 3);
        reconcile().body("outcome", is("partial")).body("missing", containsString("eu-west-1"));
        report().body("rows[0].upstreamQuantity", is(3));
        wiremock.verify(3, getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("eu-west-1")));
        TestEvents.operator().get("/v1/status").then()
                .body("lastReconciliation.outcome", is("partial"));
    }

    @Test
    void matchLaggingAndDrift() {
        ingestAndSend(SUM_APP, 5);
        upstreamBills(SUM_APP, 0);
        reconcile();
        report().body("rows[0].status", is("upstream-lagging")).body("rows[0].confirmedQuantity", is(5))
                .body("rows[0].recentQuantity", is(5));
        lagPasses();
        upstreamBills(SUM_APP, 5);
        reconcile();
        report().body("rows[0].status", is("match")).body("rows[0].periodSource", is("assumed"));
        upstreamBills(SUM_APP, 7.5);
        reconcile();
        report().body("rows[0].status", is("drift")).body("rows[0].note", containsString("2.5"));
        assertTrue(io.vendorusage.agent.testsupport.Scrape.of(metrics)
                .value("vendorusage_reconciliation_drift_quantity{app=\"premium-minutes\"") >= 2.5);
        TestEvents.operator()
                .get("/v1/reconciliation?status=drift&app=" + SUM_APP).then().statusCode(200)
                .body("rows.organizationId", org.hamcrest.Matchers.hasItem(orgId));
        reconcile(); // the same drift found again is not told again
        List<com.fasterxml.jackson.databind.JsonNode> drift = notified("io.vendorusage.reconciliation.drift");
        assertEquals(1, drift.size(), drift.toString());
        assertEquals("drift", drift.get(0).path("status").asText());
        assertEquals(0, new BigDecimal("7.5").compareTo(drift.get(0).path("upstreamQuantity").decimalValue()));
        upstreamBills(SUM_APP, 8);
        reconcile();
        assertEquals(2, notified("io.vendorusage.reconciliation.drift").size(), "a changed drift is told");
    }

    @Test
    void highWaterMarkComparesPeaks() {
        ingestAndSend(PEAK_APP, 4);
        ingestAndSend(PEAK_APP, 9);
        lagPasses();
        upstreamBills(PEAK_APP, 9);
        reconcile();
        report().body("rows[0].mode", is("high-water-mark")).body("rows[0].confirmedQuantity", is(9))
                .body("rows[0].status", is("match"));
    }

    @Test
    void uncertainRecordIsConfirmedWhenTheUpstreamHasItAndNothingIsDoubled() {
        // the upstream processes the POST but answers 504: the agent cannot know it was billed
        stubUsage(504, "{}");
        Map<String, Object> a = event(SUM_APP, new BigDecimal("2.5"));
        Map<String, Object> b = event(SUM_APP, 4);
        a.remove("occurredAt");
        b.remove("occurredAt");
        ingest(List.of(a, b));
        flush();
        Submission held = onlyRecord();
        assertEquals(SubmissionState.UNCERTAIN, held.state);
        BigDecimal billedUpstream = sumOfQuantities(postBodies());
        upstreamBills(SUM_APP, billedUpstream.toPlainString());
        stubDetail(MONTH.atDay(1).toString(), MONTH.atEndOfMonth().toString());
        reconcile();
        report().body("rows[0].status", is("uncertain-pending")).body("rows[0].note", containsString("lag"));
        assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state, "not settled before the upstream lag passed");

        lagPasses();
        var before = io.vendorusage.agent.testsupport.Scrape.of(metrics);
        reconcile();
        var after = io.vendorusage.agent.testsupport.Scrape.of(metrics);
        String settledSeries = "vendorusage_uncertain_settled_total{decision=\"confirmed\"";
        assertEquals(before.valueOrZero(settledSeries) + 1, after.value(settledSeries));
        assertTrue(after.value("vendorusage_reconciliation_last_success_timestamp_seconds") > 0);
        Submission settled = onlyRecord();
        assertEquals(SubmissionState.CONFIRMED, settled.state);
        assertEquals("settled-billed", settled.lastOutcome);
        List<com.fasterxml.jackson.databind.JsonNode> told = notified("io.vendorusage.record.settled");
        assertEquals(1, told.size(), told.toString());
        assertEquals(held.id, told.get(0).path("id").asText());
        assertEquals("confirmed", told.get(0).path("state").asText());
        assertEquals("settled-billed", told.get(0).path("lastOutcome").asText());
        assertEquals(1, notified("io.vendorusage.record.uncertain").size(), "its uncertain outcome was told first");
        List<Settlement> audit = QuarkusTransaction.requiringNew().call(() -> store.settlementsOf(held.id));
        assertEquals(1, audit.size());
        assertEquals(SettlementDecision.CONFIRMED, audit.get(0).decision);
        assertEquals(0, new BigDecimal("6.5").compareTo(audit.get(0).upstreamQuantity));
        assertEquals(0, new BigDecimal("6.5").compareTo(audit.get(0).uncertainQuantity));
        assertEquals("submitted", eventStatus((String) a.get("eventId")));
        flush();
        assertEquals(1, posts().size(), "never resent");
        assertEquals(0, new BigDecimal("6.5").compareTo(sumOfQuantities(postBodies())),
                "the upstream total equals the accepted events exactly");
    }

    @Test
    void uncertainRecordIsResentWhenTheUpstreamNeverGotIt() {
        stubUsage(502, "{}");
        Map<String, Object> e = event(SUM_APP, 3);
        e.remove("occurredAt");
        ingest(List.of(e));
        flush();
        assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state);
        lagPasses();
        upstreamBills(SUM_APP, 0);
        stubDetail(MONTH.atDay(1) + "T00:00:00Z", MONTH.plusMonths(1).atDay(1) + "T00:00:00Z");
        reconcile();
        assertEquals(SubmissionState.PLANNED, onlyRecord().state);
        stubUsageOk();
        flush();
        assertEquals(SubmissionState.CONFIRMED, onlyRecord().state);
        assertEquals(2, posts().size());
    }

    @Test
    void uncertainRecordIsHeldOnFiguresThatMatchNeitherCase() {
        stubUsage(504, "{}");
        ingestAndFlush(SUM_APP, 3);
        lagPasses();
        upstreamBills(SUM_APP, 1);
        stubDetail(MONTH.atDay(1).toString(), MONTH.atEndOfMonth().toString());
        reconcile();
        report().body("rows[0].status", is("drift")).body("rows[0].note", containsString("held"));
        Submission s = onlyRecord();
        assertEquals(SubmissionState.UNCERTAIN, s.state);
        reconcile();
        List<Settlement> audit = QuarkusTransaction.requiringNew().call(() -> store.settlementsOf(s.id));
        assertEquals(1, audit.size(), "held again on the same figures: one audit row");
        assertEquals(SettlementDecision.HELD, audit.get(0).decision);
        assertEquals(1, posts().size());
    }

    @Test
    void billingPeriodsParseDatesAndDateTimesAndAreFetchedOncePerPeriod() {
        Instant now = Instant.now();
        String start = now.minusSeconds(86400 * 3).toString().substring(0, 10);
        String end = now.plusSeconds(86400 * 20).toString();
        stubDetail(start, end);
        stubUsage(504, "{}");
        // planning reads the org's period before its first record; reconciliation and settlement reuse it
        ingestAndFlush(SUM_APP, 1);
        upstreamBills(SUM_APP, 0);
        reconcile();
        report().body("rows[0].periodSource", is("upstream"))
                .body("rows[0].periodStart", is(start + "T00:00:00Z"));
        reconcile();
        wiremock.verify(1, getRequestedFor(urlPathEqualTo(LIST + "/" + orgId)));
        assertTrue(periods.calendar(orgId).names(Instant.now()));
    }
}
