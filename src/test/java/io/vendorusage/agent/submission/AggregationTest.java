package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Aggregation into records, late events, scheduling of closed windows, and recovery of abandoned sends. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class AggregationTest extends UpstreamTest {

    @Inject
    SubmitterService submitter;

    private static String hourAgo(int hours, int minute) {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hours, ChronoUnit.HOURS)
                .plus(minute, ChronoUnit.MINUTES).toString();
    }

    private Map<String, Object> at(String app, Object quantity, String occurredAt) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", occurredAt);
        return e;
    }

    @Test
    void oneRecordPerOrgAppAndWindowWithExactSums() {
        stubUsageOk();
        ingest(List.of(at(SUM_APP, new BigDecimal("0.000001"), hourAgo(2, 1)),
                at(SUM_APP, new BigDecimal("999999999999.999999"), hourAgo(2, 59)),
                at(SUM_APP, 1, hourAgo(1, 0)),
                at(PEAK_APP, 4, hourAgo(2, 10)),
                at(PEAK_APP, 9, hourAgo(2, 20)),
                at(PEAK_APP, 6, hourAgo(2, 30))));
        flush();
        List<Submission> records = records();
        assertEquals(3, records.size());
        Submission sumWindow = records.stream().filter(r -> r.appId.equals(SUM_APP) && r.eventCount == 2).findFirst()
                .orElseThrow();
        assertEquals(0, new BigDecimal("1000000000000.000000").compareTo(sumWindow.quantity));
        assertEquals(Instant.parse(hourAgo(2, 0)), sumWindow.bucketStart);
        Submission peak = records.stream().filter(r -> r.appId.equals(PEAK_APP)).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("9").compareTo(peak.quantity));
        assertEquals(3, posts().size());
        assertTrue(postBodies().stream().anyMatch(b -> b.get("usageQuantity").toString().equals("1000000000000")),
                "exact decimal on the wire: " + postBodies());
    }

    @Test
    void lateSumEventForSubmittedWindowSendsTheDelta() {
        stubUsageOk();
        String window = hourAgo(3, 5);
        ingest(List.of(at(SUM_APP, 10, window), at(SUM_APP, 5, window)));
        flush();
        ingest(List.of(at(SUM_APP, 2, hourAgo(3, 50))));
        flush();
        List<Submission> records = records();
        assertEquals(2, records.size());
        assertEquals(1, records.get(0).revision);
        assertEquals(0, new BigDecimal("15").compareTo(records.get(0).quantity));
        assertEquals(2, records.get(1).revision);
        assertEquals(0, new BigDecimal("2").compareTo(records.get(1).quantity));
        assertEquals(records.get(0).bucketStart, records.get(1).bucketStart);
        assertEquals(0, new BigDecimal("17").compareTo(sumOfQuantities(postBodies())));
    }

    @Test
    void lateHighWaterMarkEventSendsOnlyANewPeak() {
        stubUsageOk();
        ingest(List.of(at(PEAK_APP, 5, hourAgo(3, 5))));
        flush();
        Map<String, Object> lower = at(PEAK_APP, 3, hourAgo(3, 40));
        ingest(List.of(lower));
        flush();
        assertEquals(1, records().size(), "a lower value does not raise the peak");
        assertEquals("submitted", eventStatus((String) lower.get("eventId")), "covered by the confirmed peak");
        ingest(List.of(at(PEAK_APP, 8, hourAgo(3, 45))));
        flush();
        List<Submission> records = records();
        assertEquals(2, records.size());
        assertEquals(0, new BigDecimal("8").compareTo(records.get(1).quantity));
        assertEquals(2, posts().size());
    }

    @Test
    void scheduledPassPlansOnlyClosedWindowsAfterGrace() {
        stubUsageOk();
        Map<String, Object> open = at(SUM_APP, 1, Instant.now().minusSeconds(1).toString());
        Map<String, Object> closed = at(SUM_APP, 2, hourAgo(2, 0));
        ingest(List.of(open, closed));
        submitter.runScheduledPass();
        assertEquals(0, records().size(), "the closed window has just received its event: it waits to be quiet");
        clock.advance(java.time.Duration.ofSeconds(6)); // past agent.submission.quiet (PT5S)
        submitter.runScheduledPass();
        List<Submission> records = records();
        assertEquals(1, records.size(), "the current window is still open");
        assertEquals(0, new BigDecimal("2").compareTo(records.get(0).quantity));
        assertEquals("pending", eventStatus((String) open.get("eventId")));
    }

    @Test
    void recordAbandonedMidPostIsHeldForSumAndResentForHighWaterMark() {
        stubUsageOk();
        ingest(List.of(event(SUM_APP, 3), event(PEAK_APP, 4)));
        // plan, then claim as a sender that dies before it can record any outcome
        String owner = "agent-that-was-killed";
        List<io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey> due = List.copyOf(dueGroupsOfThisOrg());
        planner.planAll(due, false, false, periods.prepare(List.of(orgId)));
        Instant past = Instant.now().minusSeconds(1);
        for (Submission s : records()) {
            QuarkusTransaction.requiringNew().run(() -> submissions.update(
                    "state = ?1, leaseOwner = ?2, leaseUntil = ?3, attempts = 1 where id = ?4",
                    SubmissionState.SENDING, owner, past, s.id));
        }
        // settling happens on the next pass; the resend of the peak waits its (short) backoff
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            flush();
            return records().stream().anyMatch(r -> r.state == SubmissionState.CONFIRMED);
        });
        for (Submission s : records()) {
            if (s.appId.equals(SUM_APP)) {
                assertEquals(SubmissionState.UNCERTAIN, s.state);
                assertEquals("interrupted", s.lastOutcome);
            } else {
                assertEquals(SubmissionState.CONFIRMED, s.state);
            }
        }
        assertEquals(1, posts().size(), "only the high-water-mark record is sent again");
        assertEquals(PEAK_APP, postBodies().get(0).get("appId").asText());
    }

    @Inject
    SubmissionPlanner planner;

    @Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    private List<io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey> dueGroupsOfThisOrg() {
        List<io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey> mine = new ArrayList<>();
        for (var g : planner.dueGroups(true)) {
            if (g.organizationId().equals(orgId)) {
                mine.add(g);
            }
        }
        return mine;
    }

    @Test
    void operatorRetryResendsAHeldRecordOnce() {
        stubUsage(504, "{}");
        Map<String, Object> e = event(SUM_APP, 6);
        ingest(List.of(e));
        flush();
        Submission held = onlyRecord();
        assertEquals(SubmissionState.UNCERTAIN, held.state);
        stubUsageOk();
        io.restassured.RestAssured.given().header("Authorization", "Bearer test-admin-token")
                .post("/v1/submissions/{id}/retry", held.id).then().statusCode(200)
                .body("state", is("planned"));
        flush();
        assertEquals(SubmissionState.CONFIRMED, onlyRecord().state);
        assertEquals(2, posts().size());
        assertEquals("submitted", eventStatus((String) e.get("eventId")));
        io.restassured.RestAssured.given().header("Authorization", "Bearer test-admin-token")
                .post("/v1/submissions/{id}/retry", held.id).then().statusCode(409);
    }

    @Test
    void endToEndUpstreamTotalsEqualAcceptedEventsExactly() {
        stubUsageOk();
        List<Map<String, Object>> events = new ArrayList<>();
        BigDecimal expectedSum = BigDecimal.ZERO;
        BigDecimal expectedPeak = BigDecimal.ZERO;
        java.util.Random random = new java.util.Random(42);
        Map<String, BigDecimal> windowPeaks = new java.util.TreeMap<>();
        for (int i = 0; i < 600; i++) {
            BigDecimal q = BigDecimal.valueOf(random.nextInt(100_000_000), 6);
            boolean peak = i % 3 == 0;
            String occurred = hourAgo(1 + (i % 4), i % 60);
            events.add(at(peak ? PEAK_APP : SUM_APP, q, occurred));
            if (peak) {
                expectedPeak = expectedPeak.max(q);
                windowPeaks.merge(hourAgo(1 + (i % 4), 0), q, BigDecimal::max);
            } else {
                expectedSum = expectedSum.add(q);
            }
        }
        // windows are planned oldest first; a high-water-mark window is a POST only if it raises its month's peak
        int peakPosts = 0;
        Map<OrgPeriod, BigDecimal> monthPeaks = new java.util.HashMap<>();
        for (var w : windowPeaks.entrySet()) {
            OrgPeriod month = PeriodCalendar.unknown().periodOf(Instant.parse(w.getKey()));
            BigDecimal before = monthPeaks.get(month);
            if (before == null || w.getValue().compareTo(before) > 0) {
                peakPosts++;
                monthPeaks.put(month, w.getValue());
            }
        }
        for (int i = 0; i < events.size(); i += 200) {
            ingest(events.subList(i, i + 200));
        }
        ingest(events.subList(0, 100)); // a client retry: duplicates, counted once
        flush();
        BigDecimal sentSum = BigDecimal.ZERO;
        BigDecimal sentPeak = BigDecimal.ZERO;
        for (var body : postBodies()) {
            BigDecimal q = body.get("usageQuantity").decimalValue();
            if (body.get("appId").asText().equals(SUM_APP)) {
                sentSum = sentSum.add(q);
            } else {
                sentPeak = sentPeak.max(q);
            }
        }
        assertEquals(0, expectedSum.compareTo(sentSum), expectedSum + " accepted vs " + sentSum + " sent");
        assertEquals(0, expectedPeak.compareTo(sentPeak));
        assertEquals(4 + peakPosts, posts().size(), "4 sum windows, and the windows that raise a month's peak");
        assertTrue(records().stream().allMatch(r -> r.state == SubmissionState.CONFIRMED));
        for (Map<String, Object> e : events.subList(0, 10)) {
            assertEquals("submitted", eventStatus((String) e.get("eventId")));
        }
    }
}
