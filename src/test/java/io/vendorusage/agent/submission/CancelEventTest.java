package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * {@code DELETE /v1/usage-events/{id}}: an event no record has taken beyond planned is cancelled and never billed;
 * a planned record carrying it is refigured (its sum, or its peak) or dropped when it carried nothing else; once the
 * record is being sent or was sent, 409 names it.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class CancelEventTest extends UpstreamTest {

    @Inject
    SubmitterService submitter;

    @Inject
    MeterRegistry registry;

    private Instant twoHoursAgo() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).plus(5, ChronoUnit.MINUTES);
    }

    private Map<String, Object> at(String app, Object quantity) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", twoHoursAgo().toString());
        return e;
    }

    private static String id(Map<String, Object> event) {
        return (String) event.get("eventId");
    }

    private static ValidatableResponse cancel(String eventId) {
        return TestEvents.ingest().delete("/v1/usage-events/{id}", eventId).then();
    }

    private BigDecimal billed() {
        return sumOfQuantities(postBodies());
    }

    @Test
    void aPendingEventIsCancelledOnceAndNeverBilled() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        stubUsageOk();
        Map<String, Object> mistake = at(SUM_APP, 2);
        ingest(List.of(at(SUM_APP, 1), mistake, at(SUM_APP, 4)));
        double before = cancelledCount();

        cancel(id(mistake)).statusCode(200).body("status", equalTo("cancelled"))
                .body("cancelledAt", notNullValue()).body("eventId", equalTo(id(mistake)));
        cancel(id(mistake)).statusCode(200).body("status", equalTo("cancelled"));
        assertEquals(before + 1, cancelledCount(), "counted once");
        assertEquals("cancelled", eventStatus(id(mistake)));

        flush();
        assertEquals(1, posts().size());
        assertEquals(0, new BigDecimal("5").compareTo(billed()), "the cancelled event is left out");
        assertEquals(2, onlyRecord().eventCount);
        assertEquals("cancelled", eventStatus(id(mistake)));
    }

    @Test
    void aPlannedRecordIsRefiguredWithoutTheEvent() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        Map<String, Object> mistake = at(SUM_APP, 4);
        ingest(List.of(at(SUM_APP, 1), at(SUM_APP, 2), mistake));
        submitter.planDue(true);
        Submission planned = onlyRecord();
        assertEquals(0, new BigDecimal("7").compareTo(planned.quantity));

        cancel(id(mistake)).statusCode(200).body("status", equalTo("cancelled"));
        Submission refigured = onlyRecord();
        assertEquals(planned.id, refigured.id);
        assertEquals(0, new BigDecimal("3").compareTo(refigured.quantity));
        assertEquals(2, refigured.eventCount);

        stubUsageOk();
        flush();
        assertEquals(0, new BigDecimal("3").compareTo(billed()));
    }

    @Test
    void aPlannedRecordLeftWithoutEventsIsDroppedAndNothingIsSent() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        Map<String, Object> only = at(SUM_APP, 3);
        ingest(List.of(only));
        submitter.planDue(true);
        assertEquals(1, records().size());

        cancel(id(only)).statusCode(200);
        assertEquals(0, records().size(), "no record for nothing");
        stubUsageOk();
        flush();
        assertEquals(0, posts().size());

        // a late event of the same window still goes up, in a record of its own
        ingest(List.of(at(SUM_APP, 5)));
        flush();
        assertEquals(0, new BigDecimal("5").compareTo(billed()));
    }

    @Test
    void aHighWaterMarkRecordFallsBackToThePeakOfWhatIsLeft() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        Map<String, Object> peak = at(PEAK_APP, 9);
        ingest(List.of(peak, at(PEAK_APP, 4)));
        submitter.planDue(true);
        assertEquals(0, new BigDecimal("9").compareTo(onlyRecord().quantity));

        cancel(id(peak)).statusCode(200);
        assertEquals(0, new BigDecimal("4").compareTo(onlyRecord().quantity));
        stubUsageOk();
        flush();
        assertEquals(List.of("4"), postBodies().stream()
                .map(b -> b.get("usageQuantity").decimalValue().stripTrailingZeros().toPlainString()).toList());
    }

    @Test
    void onceItsRecordIsBeingSentOrSentTheEventCannotBeCancelled() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        stubUsageOk();
        Map<String, Object> sent = at(SUM_APP, 1);
        ingest(List.of(sent));
        flush();
        String record = onlyRecord().id;
        cancel(id(sent)).statusCode(409).body("detail", containsString(record))
                .body("detail", containsString("confirmed"));
        assertEquals("submitted", eventStatus(id(sent)));

        Map<String, Object> inFlight = at(SUM_APP, 2);
        ingest(List.of(inFlight));
        submitter.planDue(true);
        String planned = records().stream().filter(r -> r.state == SubmissionState.PLANNED).findFirst()
                .orElseThrow().id;
        QuarkusTransaction.requiringNew().run(() -> submissions.update("state = ?1 where id = ?2",
                SubmissionState.SENDING, planned));
        cancel(id(inFlight)).statusCode(409).body("detail", containsString(planned))
                .body("detail", containsString("sending"));
        assertEquals(0, new BigDecimal("2").compareTo(records().stream().filter(r -> r.id.equals(planned))
                .findFirst().orElseThrow().quantity), "nothing changed");
    }

    @Test
    void anUnknownEventIs404AndACancelledOneSentAgainStaysCancelled() {
        cancel("no-such-event-" + orgId).statusCode(404);
        cancel("not an id").statusCode(404);

        Map<String, Object> e = at(SUM_APP, 2);
        ingest(List.of(e));
        cancel(id(e)).statusCode(200);
        // a client's retry of the original request must not bring it back
        TestEvents.ingest().body(List.of(e)).post("/v1/usage-events").then().statusCode(202)
                .body("duplicates", equalTo(1));
        assertEquals("cancelled", eventStatus(id(e)));
        Map<String, Object> other = new java.util.HashMap<>(e);
        other.put("quantity", 3);
        TestEvents.ingest().body(List.of(other)).post("/v1/usage-events").then().statusCode(409);
    }

    @Test
    void theAuditShowsCancelledEventsWithTheirTime() {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        Map<String, Object> kept = at(SUM_APP, 1);
        Map<String, Object> mistake = at(SUM_APP, 2);
        ingest(List.of(kept, mistake));
        cancel(id(mistake)).statusCode(200);

        JsonPath audit = TestEvents.operator().queryParam("period", "current")
                .get("/v1/organizations/{org}/usage", orgId).then().statusCode(200).extract().jsonPath();
        String sum = "apps.find { it.appId == '" + SUM_APP + "' }";
        assertEquals(1, audit.getInt(sum + ".events.cancelled.count"));
        assertEquals(0, new BigDecimal("2").compareTo(new BigDecimal(audit.getString(sum + ".events.cancelled.quantity"))));
        assertEquals(1, audit.getInt(sum + ".events.pending.count"));

        String csv = TestEvents.operator().accept("text/csv").queryParam("period", "current")
                .get("/v1/organizations/{org}/usage", orgId).then().statusCode(200).extract().asString();
        String row = java.util.Arrays.stream(csv.split("\r\n")).filter(l -> l.startsWith(id(mistake) + ","))
                .findFirst().orElseThrow();
        assertTrue(row.contains(",cancelled,"), row);
        assertTrue(row.matches(".*,\\d{4}-\\d\\d-\\d\\dT[^,]*Z$"), "ends with the time it was cancelled: " + row);
    }

    @Test
    void cancelsRacingThePlannerAndTheSenderNeverBillACancelledEventNorLoseAKeptOne() throws Exception {
        stubBillingPeriodAround(orgId, twoHoursAgo(), 5);
        stubUsageOk();
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> e = event(SUM_APP, 1);
            // four windows, so the planner, folds and sends interleave with the cancels
            e.put("occurredAt", twoHoursAgo().minus(i % 4, ChronoUnit.HOURS).toString());
            all.add(e);
        }
        ingest(all);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> planner = pool.submit(() -> {
            io.quarkus.arc.ManagedContext request = io.quarkus.arc.Arc.container().requestContext();
            request.activate();
            try {
                while (!done.get()) {
                    submitter.planDue(true);
                    submitter.runScheduledPass();
                }
            } finally {
                request.terminate();
            }
            return null;
        });
        Future<List<Integer>> cancels = pool.submit(() -> {
            List<Integer> answers = new ArrayList<>();
            for (int i = 0; i < all.size(); i += 2) {
                answers.add(TestEvents.ingest().delete("/v1/usage-events/{id}", id(all.get(i))).statusCode());
            }
            return answers;
        });
        List<Integer> answers = cancels.get();
        done.set(true);
        planner.get();
        pool.shutdown();
        flush();

        long cancelled = answers.stream().filter(s -> s == 200).count();
        System.out.printf("cancel race: %d cancelled, %d refused (their record already sent or being sent)%n",
                cancelled, answers.size() - cancelled);
        assertTrue(cancelled > 0, "no cancel got in before the sender: " + answers);
        assertTrue(answers.stream().allMatch(s -> s == 200 || s == 409), "answers " + answers);
        assertEquals(0, BigDecimal.valueOf(all.size() - cancelled).compareTo(billed()),
                "billed: every kept event once, no cancelled one (" + cancelled + " cancelled)");
        for (int i = 0; i < all.size(); i++) {
            String expected = i % 2 == 0 && answers.get(i / 2) == 200 ? "cancelled" : "submitted";
            assertEquals(expected, eventStatus(id(all.get(i))), "event " + i);
        }
    }

    private double cancelledCount() {
        var counter = registry.find(MetricsConstants.EVENTS_CANCELLED).tag(MetricsConstants.TAG_APP, SUM_APP)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
