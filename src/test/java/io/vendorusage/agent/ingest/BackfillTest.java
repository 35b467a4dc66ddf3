package io.vendorusage.agent.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.submission.SubmissionState;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * {@code POST /v1/backfill/usage-events}: events older than {@code agent.ingest.max-lateness} (P2D) are taken while
 * the org's billing period holding them closed no more than {@code agent.submission.closed-period-grace} (P1D) ago,
 * judged on the period Genesys names in the org detail.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class BackfillTest extends UpstreamTest {

    private static final String BACKFILL = "/v1/backfill/usage-events";

    @Inject
    MeterRegistry registry;

    private Map<String, Object> at(Object quantity, Instant occurredAt) {
        Map<String, Object> e = event(TestEvents.SUM_APP, quantity);
        e.put("occurredAt", occurredAt.toString());
        return e;
    }

    private Instant daysAgo(int days) {
        return clock.instant().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The org's current period began {@code days} ago (whole UTC days, Genesys's form). */
    private LocalDate periodBegan(int days) {
        LocalDate start = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(days);
        stubBillingPeriod(orgId, start.toString(), start.plusMonths(1).minusDays(1).toString(), 1);
        return start;
    }

    private static io.restassured.response.ValidatableResponse backfill(Object body) {
        return TestEvents.operator().contentType(ContentType.JSON).body(body).post(BACKFILL).then();
    }

    @Test
    void anEventPastTheLatenessLimitIsTakenByBackfillWhileItsPeriodIsOpenAndBilledOnce() {
        periodBegan(10);
        stubUsageOk();
        Map<String, Object> late = at(new BigDecimal("4.5"), daysAgo(5));

        TestEvents.ingest().body(List.of(late)).post("/v1/usage-events").then().statusCode(400)
                .body("errors[0].field", equalTo("occurredAt"))
                .body("errors[0].reason", containsString("/v1/backfill/usage-events"));
        backfill(List.of(late)).statusCode(202).body("accepted", equalTo(1));
        backfill(List.of(late)).statusCode(202).body("duplicates", equalTo(1)).body("accepted", equalTo(0));

        flush();
        assertEquals(SubmissionState.CONFIRMED, onlyRecord().state);
        assertEquals(1, posts().size());
        assertEquals(0, new BigDecimal("4.5").compareTo(postBodies().get(0).get("usageQuantity").decimalValue()));
        assertEquals("submitted", eventStatus((String) late.get("eventId")));
    }

    @Test
    void anEventOfAPeriodClosedMoreThanTheGraceAgoIsRefusedNamingItAndNothingIsStored() {
        LocalDate start = periodBegan(10);
        Map<String, Object> open = at(1, daysAgo(5));
        Map<String, Object> closed = at(1, daysAgo(12)); // in the period before, which ended 10 days ago

        backfill(List.of(open, closed)).statusCode(400)
                .body("errors.size()", equalTo(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("occurredAt"))
                .body("errors[0].reason", containsString((String) closed.get("eventId")))
                .body("errors[0].reason", containsString(start.atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
        TestEvents.ingest().get("/v1/usage-events/{id}", open.get("eventId")).then().statusCode(404);
    }

    @Test
    void thePeriodBeforeStillTakesEventsWithinTheGraceAfterItsEnd() {
        periodBegan(0); // the period before ended at today's start, less than a day ago
        backfill(List.of(at(2, daysAgo(3)))).statusCode(202).body("accepted", equalTo(1));
    }

    @Test
    void withoutAKnownPeriodAnEventThatMayStillBeBillableIsTakenAndCountedAndAnOlderOneRefused() {
        wiremock.stubFor(get(urlPathEqualTo(USAGE_PATH + orgId)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        double before = assumedBackfills();

        backfill(List.of(at(1, daysAgo(10)))).statusCode(202).body("accepted", equalTo(1));
        assertEquals(before + 1, assumedBackfills(), "the decision taken without the period is counted");

        backfill(List.of(at(1, daysAgo(40)))).statusCode(400)
                .body("errors[0].reason", containsString("any billing period holding it ended by"));
    }

    @Test
    void cloudEventsAreTakenAndErrorsNamedByTheirAttributes() {
        periodBegan(10);
        String id = TestEvents.newId();
        TestEvents.operator().contentType(BodyForm.CLOUD_EVENT_TYPE)
                .body(Map.of("specversion", "1.0", "id", id, "source", "//test", "type", TestEvents.SUM_APP,
                        "subject", orgId, "time", daysAgo(5).toString(), "data", Map.of("quantity", 3)))
                .post(BACKFILL).then().statusCode(202).body("accepted", equalTo(1));
        TestEvents.operator().contentType(BodyForm.CLOUD_EVENT_TYPE)
                .body(Map.of("specversion", "1.0", "id", TestEvents.newId(), "source", "//test", "type",
                        TestEvents.SUM_APP, "subject", orgId, "time", daysAgo(12).toString(), "data",
                        Map.of("quantity", 3)))
                .post(BACKFILL).then().statusCode(400).body("errors[0].field", equalTo("time"));
    }

    @Test
    void onlyTheAdminTokenMayBackfill() {
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).contentType(ContentType.JSON)
                .body(List.of(at(1, daysAgo(1)))).post(BACKFILL).then().statusCode(401);
        TestEvents.operator().contentType(ContentType.TEXT).body("x").post(BACKFILL).then().statusCode(415);
    }

    private double assumedBackfills() {
        var counter = registry.find(MetricsConstants.PERIOD_ASSUMED_DECISIONS)
                .tag(MetricsConstants.TAG_DECISION, "backfill-taken").counter();
        return counter == null ? 0 : counter.count();
    }
}
