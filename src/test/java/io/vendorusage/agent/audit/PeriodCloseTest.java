package io.vendorusage.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.testsupport.Scrape;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** GET /v1/periods/current and the gauges of the period close, over real HTTP. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class PeriodCloseTest extends UpstreamTest {

    private static final String OVERDUE = "vendorusage_period_overdue_events";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @jakarta.inject.Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    /** Two hours back: its window closed more than 15 minutes after its grace, so its events are overdue. */
    private final Instant twoHoursAgo = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS)
            .plusSeconds(30);

    private Map<String, Object> eventAt(String app, Object quantity) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", twoHoursAgo.toString());
        return e;
    }

    private JsonPath period() {
        return TestEvents.operator().get("/v1/periods/current").then().statusCode(200).extract().jsonPath();
    }

    @jakarta.inject.Inject
    PeriodGauges gauges;

    /**
     * The overdue gauge as scraped, refreshed first: the scheduled refresh may not have seen the clock an earlier
     * test moved (other orgs' windows become overdue with it), so a figure read straight after would be stale.
     */
    private double overdue() {
        gauges.refresh();
        return Scrape.of(metrics).value(OVERDUE);
    }

    @Test
    void showsWhatOfTheMonthIsUnconfirmedAndWhetherItCanBeSentBeforeTheClose() {
        // the org's billing period began the day before the events (whatever today's date): they are in it
        Instant start = twoHoursAgo.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        periods.learnt(orgId, new io.vendorusage.agent.upstream.OrganizationDetail(orgId, "us-east-1", start,
                io.vendorusage.agent.submission.period.PeriodCalendar.step(start, 1), Map.of()));
        double before = overdue();
        ingest(List.of(eventAt(TestEvents.SUM_APP, 2), eventAt(TestEvents.SUM_APP, 3.5),
                eventAt(TestEvents.PEAK_APP, 9)));

        JsonPath p = period();
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertEquals(month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
                p.getString("monthEnd"));
        String sum = "unconfirmed.find { it.organizationId == '" + orgId + "' && it.appId == '" + TestEvents.SUM_APP
                + "' }";
        assertEquals(2, p.getInt(sum + ".events"));
        assertEquals(5.5f, p.getFloat(sum + ".quantity"));
        assertEquals(2, p.getInt(sum + ".notYetPlanned"));
        assertEquals("upstream", p.getString(sum + ".periodSource"));
        assertEquals(start.toString(), p.getString(sum + ".periodStart"));
        String peak = sum.replace(TestEvents.SUM_APP, TestEvents.PEAK_APP);
        assertEquals(9f, p.getFloat(peak + ".quantity"));
        assertTrue(p.getLong("postsToSend") >= 2, "one POST per window not yet planned, at least");
        assertEquals(p.getDouble("drainSeconds") < p.getDouble("secondsToClose"), p.getBoolean("fitsBeforeClose"),
                p.prettify());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> overdue() == before + 3);

        // refused upstream: the records fail, their usage stays unconfirmed and overdue
        stubUsage(400, "{\"message\":\"invalid usage\",\"code\":\"bad.request\"}");
        flush();
        p = period();
        assertEquals(0, p.getInt(sum + ".notYetPlanned"));
        assertEquals(2, p.getInt(sum + ".events"));
        assertEquals(1, p.getInt(sum + ".records.failed"));
        assertEquals(before + 3, overdue());

        // sent again and confirmed: nothing of this org is left, and the gauge comes back
        stubUsageOk();
        for (var record : records()) {
            TestEvents.operator().post("/v1/submissions/{id}/retry", record.id).then().statusCode(200);
        }
        flush();
        assertEquals(0, period().getList("unconfirmed.findAll { it.organizationId == '" + orgId + "' }").size());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> overdue() == before);
        assertTrue(Scrape.of(metrics).value("vendorusage_period_close_seconds") > 0);
    }

    @jakarta.inject.Inject
    PeriodAtRisk atRisk;

    @Test
    void aPeriodTheDrainWouldOutliveIsNotifiedOnce() {
        // the org's period closes in half a minute; the upstream holds every call for a minute (short: the hold is
        // kept in the store, and a later test run on the same store starts under it)
        Instant start = twoHoursAgo.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
        Instant end = clock.instant().plus(Duration.ofSeconds(30)).truncatedTo(ChronoUnit.SECONDS);
        periods.learnt(orgId, new io.vendorusage.agent.upstream.OrganizationDetail(orgId, "us-east-1", start, end,
                Map.of()));
        wiremock.stubFor(usagePost().willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(429).withHeader("Retry-After", "60")));
        // an event of now: never overdue, so the overdue gauge the other tests watch never counts it
        Map<String, Object> event = event(TestEvents.SUM_APP, 4);
        ingest(List.of(event));
        flush();
        assertEquals(io.vendorusage.agent.submission.SubmissionState.PLANNED, onlyRecord().state);
        assertTrue(atRisk.check() >= 1);
        List<com.fasterxml.jackson.databind.JsonNode> told = notified("io.vendorusage.period.at-risk");
        assertEquals(1, told.size(), told.toString());
        assertEquals(end.toString(), told.get(0).path("periodEnd").asText());
        assertEquals(TestEvents.SUM_APP, told.get(0).path("appId").asText());
        assertTrue(told.get(0).path("drainSeconds").asDouble() > 30, told.get(0).toString());
        atRisk.check();
        assertEquals(1, notified("io.vendorusage.period.at-risk").size(), "told once per org, app and period");
        // nothing of this org is left to weigh on the other tests' figures once the clock passes the hold
        TestEvents.ingest().delete("/v1/usage-events/{id}", event.get("eventId")).then().statusCode(200);
    }

    @Test
    void needsTheOperatorToken() {
        TestEvents.ingest().get("/v1/periods/current").then().statusCode(401);
    }
}
