package io.vendorusage.agent.submission.period;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.submission.Submission;
import io.vendorusage.agent.submission.SubmissionState;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * Each org's own billing period, end to end against the WireMock upstream: the org detail names a period that turns
 * at a midnight inside the month, and peaks, closing and the audit follow it; the detail is asked once per period;
 * where it cannot be read, the agent sends what might be a new peak and never fails a record as closed.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class BillingPeriodsTest extends UpstreamTest {

    @Inject
    BillingPeriods periods;

    /** A midnight three to twenty-seven hours back: the turn of this test's org's billing period. */
    private Instant turn() {
        return clock.instant().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.DAYS);
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }

    /** The org detail names [start, start + 1 month) (the end as Genesys words it: its last day). */
    private void periodStartingAt(Instant start) {
        stubBillingPeriod(orgId, day(start), day(PeriodCalendar.step(start, 1).minus(1, ChronoUnit.DAYS)), 1);
    }

    private Map<String, Object> at(String app, Object quantity, Instant occurredAt) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", occurredAt.toString());
        return e;
    }

    private int detailRequests() {
        return wiremock.findAll(getRequestedFor(urlPathEqualTo(USAGE_PATH + orgId))).size();
    }

    @Test
    void highWaterMarkValuesOnBothSidesOfAMidMonthTurnAreEachBilledInTheirPeriod() {
        stubUsageOk();
        Instant turn = turn();
        periodStartingAt(turn);
        ingest(List.of(at(PEAK_APP, 100, turn.minus(2, ChronoUnit.HOURS))));
        flush();
        ingest(List.of(at(PEAK_APP, 50, turn.plus(2, ChronoUnit.HOURS))));
        flush();
        // within the new period, a lower value is covered by its peak of 50
        ingest(List.of(at(PEAK_APP, 40, turn.plus(2, ChronoUnit.HOURS).plusSeconds(3600))));
        flush();

        List<Submission> records = records();
        assertEquals(2, records.size(), "one peak per period: " + records);
        assertEquals(List.of("100", "50"), postBodies().stream()
                .map(b -> b.get("usageQuantity").decimalValue().stripTrailingZeros().toPlainString()).toList());
        Submission newPeriod = records.stream().filter(r -> r.bucketStart.isAfter(turn)).findFirst().orElseThrow();
        assertEquals(SubmissionState.CONFIRMED, newPeriod.state);
        assertEquals(PeriodSource.UPSTREAM, newPeriod.periodSource);
        assertEquals(2, newPeriod.eventCount, "the covered value is carried by the period's peak");
        assertEquals("submitted", eventStatus(lastEventOf(PEAK_APP)));
        assertEquals(1, detailRequests(), "one detail GET for the org's current period");
    }

    private String lastEventOf(String app) {
        return QuarkusTransaction.requiringNew().call(() -> (String) submissions.getEntityManager()
                .createNativeQuery("SELECT event_id FROM outbox_event WHERE organization_id = ?1 AND app_id = ?2"
                        + " ORDER BY id DESC").setParameter(1, orgId).setParameter(2, app).setMaxResults(1)
                .getSingleResult());
    }

    @Test
    void theDetailIsAskedOncePerPeriodAndAgainOnceThePeriodHasEnded() {
        stubUsageOk();
        // Genesys names a period that ends in a few seconds (the test clock moves there, not far: other tests
        // compare it with the wall clock)
        Instant end = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(5);
        end = end.atZone(java.time.ZoneOffset.UTC).getSecond() == 59 ? end.plusSeconds(1) : end;
        stubBillingPeriod(orgId, PeriodCalendar.step(end, -1).toString(), end.toString(), 1);
        for (int i = 0; i < 3; i++) {
            ingest(List.of(event(SUM_APP, 1)));
            flush();
        }
        assertEquals(1, detailRequests());
        assertTrue(periods.calendar(orgId).names(clock.instant()));
        assertEquals(end, periods.calendar(orgId).periodOf(clock.instant()).end());

        clock.advanceTo(end.plusSeconds(1));
        stubBillingPeriod(orgId, end.toString(), PeriodCalendar.step(end, 1).toString(), 1);
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        assertEquals(2, detailRequests(), "asked again once, for the new period");
        assertEquals(new OrgPeriod(end, PeriodCalendar.step(end, 1), PeriodSource.UPSTREAM),
                periods.calendar(orgId).periodOf(clock.instant()));
    }

    @Test
    void recordOfAClosedCustomerPeriodFailsWhileOneOfAClosedCalendarMonthInAnOpenPeriodIsSent() {
        stubUsageOk();
        Instant now = clock.instant();
        // a customer period of sixty days that is still open although it began in an earlier calendar month
        Instant start = now.minus(45, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
        stubBillingPeriod(orgId, day(start), day(now.plus(15, ChronoUnit.DAYS)), 1);
        Instant inClosedMonth = now.minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        // the period before it closed 45 days ago: far past agent.submission.closed-period-grace
        Instant inClosedPeriod = start.minus(3, ChronoUnit.DAYS);
        plannedRecord(inClosedMonth);
        plannedRecord(inClosedPeriod);
        // the agent learns the org's period when it plans the org's first record, before this pass sends
        ingest(List.of(event(PEAK_APP, 1)));
        flush();

        Submission sent = records().stream().filter(r -> r.bucketStart.equals(inClosedMonth)).findFirst().orElseThrow();
        assertEquals(SubmissionState.CONFIRMED, sent.state, "its calendar month closed, its customer period is open");
        Submission failed = records().stream().filter(r -> r.bucketStart.equals(inClosedPeriod)).findFirst()
                .orElseThrow();
        assertEquals(SubmissionState.FAILED, failed.state);
        assertEquals("billing-period-closed", failed.lastOutcome);
        assertTrue(failed.lastErrorMessage.contains(start.toString()), failed.lastErrorMessage);
        assertEquals(2, posts().size(), "the record of the open period and the new peak");
    }

    @Test
    void withoutTheDetailAPossibleNewPeakIsSentAndNoRecordIsClosedOnAnAssumedPeriod() {
        stubUsageOk();
        wiremock.stubFor(get(urlPathEqualTo(USAGE_PATH + orgId)).atPriority(1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"not found\"}")));
        Instant hour = clock.instant().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
        ingest(List.of(at(PEAK_APP, 100, hour)));
        flush();
        ingest(List.of(at(PEAK_APP, 50, hour.plus(1, ChronoUnit.HOURS))));
        flush();

        // a turn could lie between the two hours: 50 might be a new period's peak, and repeating a peak is harmless
        assertEquals(2, posts().size());
        assertTrue(records().stream().allMatch(r -> r.periodSource == PeriodSource.ASSUMED), records().toString());
        assertEquals(1, detailRequests(), "asked once, then left alone for the retry delay");
        JsonPath status = TestEvents.operator().get("/v1/status").then().statusCode(200).extract().jsonPath();
        assertTrue(status.getLong("billingPeriods.organizationsAssumed") >= 1, status.prettify());

        // a record far past its assumed period's close is still sent: the usage may still be billable
        Instant old = clock.instant().minus(70, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        plannedRecord(old);
        flush();
        assertEquals(SubmissionState.CONFIRMED, records().stream().filter(r -> r.bucketStart.equals(old))
                .findFirst().orElseThrow().state);

        // once the retry delay (agent.submission.period-retry, PT5S in the test profile) has passed and the detail
        // answers, the period is known
        periodStartingAt(turn());
        clock.advance(Duration.ofSeconds(6));
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        assertEquals(2, detailRequests());
        assertTrue(periods.calendar(orgId).names(clock.instant()));
    }

    @Test
    void theAuditAnswersByTheOrgsOwnPeriod() {
        stubUsageOk();
        Instant turn = turn();
        periodStartingAt(turn);
        ingest(List.of(at(SUM_APP, 3, turn.minus(2, ChronoUnit.HOURS)), at(SUM_APP, 4, turn.plus(1, ChronoUnit.HOURS)),
                at(SUM_APP, 5, turn.plus(2, ChronoUnit.HOURS))));
        flush();

        String path = "/v1/organizations/{org}/usage";
        JsonPath current = TestEvents.operator().queryParam("period", "current").get(path, orgId).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(turn.toString(), current.getString("from"));
        assertEquals(PeriodCalendar.step(turn, 1).toString(), current.getString("to"));
        assertEquals("upstream", current.getString("periodSource"));
        assertEquals(9f, current.getFloat("apps[0].confirmed"));
        JsonPath previous = TestEvents.operator().queryParam("period", "previous").get(path, orgId).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(PeriodCalendar.step(turn, -1).toString(), previous.getString("from"));
        assertEquals(turn.toString(), previous.getString("to"));
        assertEquals(3f, previous.getFloat("apps[0].confirmed"));
        JsonPath byDay = TestEvents.operator().queryParam("period", day(turn.minusSeconds(1))).get(path, orgId).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(previous.getString("from"), byDay.getString("from"));

        var csv = TestEvents.operator().accept("text/csv").queryParam("period", "current").get(path, orgId).then()
                .statusCode(200).header("Billing-Period-Start", turn.toString())
                .header("Billing-Period-Source", "upstream").extract().asString();
        assertEquals(3, csv.split("\r\n").length, "the header and the two events of the current period");
        TestEvents.operator().queryParam("period", "2026-13-01").get(path, orgId).then().statusCode(400);
        TestEvents.operator().queryParam("period", "last").get(path, orgId).then().statusCode(400);
    }

    @Test
    void thePeriodCloseListsTheOrgsOwnPeriod() {
        stubUsage(400, "{\"message\":\"invalid usage\",\"code\":\"bad.request\"}");
        Instant turn = turn();
        periodStartingAt(turn);
        ingest(List.of(at(SUM_APP, 2, turn.plus(1, ChronoUnit.HOURS))));
        flush();
        JsonPath p = TestEvents.operator().get("/v1/periods/current").then().statusCode(200).extract().jsonPath();
        String line = "unconfirmed.find { it.organizationId == '" + orgId + "' }";
        assertEquals(turn.toString(), p.getString(line + ".periodStart"));
        assertEquals(PeriodCalendar.step(turn, 1).toString(), p.getString(line + ".periodEnd"));
        assertEquals("upstream", p.getString(line + ".periodSource"));
        assertEquals(1, p.getInt(line + ".records.failed"));
        assertTrue(!Instant.parse(p.getString("closesAt")).isAfter(PeriodCalendar.step(turn, 1)), p.prettify());
    }
}
