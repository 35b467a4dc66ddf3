package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Outbox v2 planning: late events fold into a planned record; a high-water-mark period peak covers lower values. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class PlannedRecordTest extends UpstreamTest {

    @Inject
    SubmitterService submitter;

    private Map<String, Object> at(String app, Object quantity, Instant occurredAt) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", occurredAt.toString());
        return e;
    }

    private static Instant hoursAgo(int hours) {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hours, ChronoUnit.HOURS).plus(5, ChronoUnit.MINUTES);
    }

    @Test
    void lateEventsForAWindowWhoseRecordIsStillPlannedFoldIntoThatRecord() {
        stubUsageOk();
        Map<String, Object> first = at(SUM_APP, new BigDecimal("1.5"), hoursAgo(2));
        ingest(List.of(first, at(SUM_APP, 2, hoursAgo(2))));
        submitter.planDue(true);
        Submission planned = onlyRecord();
        assertEquals(SubmissionState.PLANNED, planned.state);
        assertEquals("pending", eventStatus((String) first.get("eventId")));

        Map<String, Object> late = at(SUM_APP, new BigDecimal("0.25"), hoursAgo(2).plusSeconds(600));
        ingest(List.of(late));
        submitter.planDue(true);

        Submission folded = onlyRecord();
        assertEquals(planned.id, folded.id, "no second unsent record for the window");
        assertEquals(0, new BigDecimal("3.75").compareTo(folded.quantity));
        assertEquals(3, folded.eventCount);
        flush();
        assertEquals(1, posts().size());
        assertEquals(0, new BigDecimal("3.75").compareTo(sumOfQuantities(postBodies())));
        assertEquals("submitted", eventStatus((String) late.get("eventId")));
        assertEquals(folded.id, io.vendorusage.agent.testsupport.TestEvents.ingest()
                .get("/v1/usage-events/{id}", late.get("eventId")).then().extract().path("submissionId"));
    }

    @Test
    void aHighWaterMarkValueAtOrBelowThePeriodPeakSendsNothingAndEndsSubmittedWithThePeak() {
        Instant first = hoursAgo(3);
        stubBillingPeriodAround(orgId, first, 5); // the three hours share the org's period
        stubUsageOk();
        ingest(List.of(at(PEAK_APP, 5, first)));
        flush();
        Map<String, Object> equal = at(PEAK_APP, 5, hoursAgo(2));
        Map<String, Object> lower = at(PEAK_APP, 3, hoursAgo(2));
        ingest(List.of(equal, lower));
        flush();
        assertEquals(1, records().size(), "values at or below the period's peak are covered by it");
        assertEquals(1, posts().size());
        assertEquals("submitted", eventStatus((String) lower.get("eventId")));
        assertEquals(2 + 1, onlyRecord().eventCount, "the peak record counts the events it covers");

        ingest(List.of(at(PEAK_APP, 7, hoursAgo(1)), at(PEAK_APP, 6, hoursAgo(1))));
        flush();
        List<Submission> records = records();
        assertEquals(2, records.size(), "only a new peak of the period is a record");
        assertEquals(0, new BigDecimal("7").compareTo(records.get(1).quantity));
        assertEquals(2, posts().size());
    }

    @Test
    void aHighWaterMarkEventCoveredByAPlannedPeakIsPendingUntilThatPeakIsConfirmed() {
        Instant first = hoursAgo(2);
        stubBillingPeriodAround(orgId, first, 5); // both hours share the org's period
        ingest(List.of(at(PEAK_APP, 9, first)));
        submitter.planDue(true);
        Map<String, Object> lower = at(PEAK_APP, 4, hoursAgo(1));
        ingest(List.of(lower));
        submitter.planDue(true);
        assertEquals(1, records().size());
        assertEquals("pending", eventStatus((String) lower.get("eventId")));
        stubUsageOk();
        flush();
        assertEquals("submitted", eventStatus((String) lower.get("eventId")));
        assertEquals(1, posts().size());
    }
}
