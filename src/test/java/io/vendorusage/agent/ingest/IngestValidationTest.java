package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vendorusage.agent.testsupport.TestClock;
import io.vendorusage.agent.testsupport.TestEvents;

@QuarkusTest
class IngestValidationTest {

    private static ValidatableResponse post(Object body) {
        return ingest().body(body).post("/v1/usage-events").then();
    }

    private static ValidatableResponse rejectsField(Map<String, Object> event, String field, String reason) {
        return post(event).statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(0))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].reason", containsString(reason));
    }

    private static void assertNotStored(String eventId) {
        ingest().get("/v1/usage-events/{id}", eventId).then().statusCode(404);
    }

    @Test
    void acceptsSingleEventObject() {
        String id = newId();
        post(event(id)).statusCode(202)
                .body("accepted", equalTo(1))
                .body("duplicates", equalTo(0))
                .body("events[0].eventId", equalTo(id))
                .body("events[0].status", equalTo("accepted"));
    }

    @Test
    void acceptsArrayOfEvents() {
        List<Map<String, Object>> events = List.of(event(newId()), event(newId()), event(newId()));
        post(events).statusCode(202).body("accepted", equalTo(3)).body("events", hasSize(3));
    }

    @Test
    void rejectsMissingRequiredFields() {
        for (String field : List.of("eventId", "organizationId", "appId", "quantity")) {
            Map<String, Object> event = event(newId());
            event.remove(field);
            rejectsField(event, field, "is required");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "has space", "slash/not-allowed", "ümlaut" })
    void rejectsMalformedEventId(String eventId) {
        rejectsField(event(eventId), "eventId", "1 to 128 characters");
    }

    @Test
    void rejectsEventIdLongerThan128() {
        rejectsField(event("x".repeat(129)), "eventId", "1 to 128 characters");
        String longest = "x".repeat(120) + newId().substring(0, 8);
        post(event(longest)).statusCode(202);
    }

    @Test
    void rejectsOrganizationIdThatIsNotUuid() {
        Map<String, Object> event = event(newId());
        event.put("organizationId", "not-a-uuid");
        rejectsField(event, "organizationId", "must be a UUID");
    }

    @Test
    void rejectsAppThatIsNotConfigured() {
        Map<String, Object> event = event(newId());
        event.put("appId", "unknown-app");
        rejectsField(event, "appId", "not a configured app");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"5\"", "true", "null", "[5]", "{\"v\":5}" })
    void rejectsQuantityThatIsNotJsonNumber(String quantity) {
        String id = newId();
        String body = "{\"eventId\":\"" + id + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":" + quantity + "}";
        post(body).statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[0].reason", startsWith("must be a JSON number"));
        assertNotStored(id);
    }

    @Test
    void rejectsNegativeQuantity() {
        Map<String, Object> event = event(newId());
        event.put("quantity", -1);
        rejectsField(event, "quantity", "zero or more");
    }

    @ParameterizedTest
    @ValueSource(strings = { "1234567890123456789", "0.1234567", "1e19", "123456789012345678.1234567" })
    void rejectsQuantityBeyondEighteenDigitsOrSixDecimals(String quantity) {
        String body = "{\"eventId\":\"" + newId() + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":" + quantity + "}";
        post(body).statusCode(400).body("errors[0].field", equalTo("quantity"))
                .body("errors[0].reason", containsString("18 integer digits and 6 decimals"));
    }

    @Test
    void keepsLargestAllowedQuantityExact() {
        String id = newId();
        String body = "{\"eventId\":\"" + id + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":123456789012345678.123456}";
        post(body).statusCode(202);
        String stored = ingest().get("/v1/usage-events/{id}", id).then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(stored.contains("\"quantity\":123456789012345678.123456"), stored);
    }

    @Test
    void acceptsTrailingZerosBeyondSixDecimalsBecauseValueIsCompared() {
        String body = "{\"eventId\":\"" + newId() + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":1.50000000}";
        post(body).statusCode(202);
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-01-01", "2026-01-01T10:00:00", "yesterday", "2026-13-01T00:00:00Z" })
    void rejectsOccurredAtWithoutOffsetOrMalformed(String occurredAt) {
        Map<String, Object> event = event(newId());
        event.put("occurredAt", occurredAt);
        rejectsField(event, "occurredAt", "ISO-8601");
    }

    @Test
    void rejectsOccurredAtMoreThanFiveMinutesAhead() {
        Map<String, Object> event = event(newId());
        // against the agent's clock, which other tests move forward
        event.put("occurredAt", TestClock.agentNow().plus(6, ChronoUnit.MINUTES).toString());
        rejectsField(event, "occurredAt", "future");
        event.put("eventId", newId());
        event.put("occurredAt", TestClock.agentNow().plus(4, ChronoUnit.MINUTES).toString());
        post(event).statusCode(202);
    }

    @Test
    void rejectsOccurredAtOlderThanMaxLateness() {
        Map<String, Object> event = event(newId());
        event.put("occurredAt", Instant.now().minus(49, ChronoUnit.HOURS).toString());
        rejectsField(event, "occurredAt", "agent.ingest.max-lateness");
    }

    @Test
    void acceptsOccurredAtWithNumericOffset() {
        Map<String, Object> event = event(newId());
        // an hour ago, written with a +02:00 offset (a fixed date would fall out of max-lateness at some hours)
        event.put("occurredAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(2)).minusHours(1)
                .truncatedTo(ChronoUnit.SECONDS).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        post(event).statusCode(202);
    }

    @Test
    void defaultsOccurredAtToNow() {
        String id = newId();
        Map<String, Object> event = event(id);
        event.remove("occurredAt");
        // the agent's clock, which tests elsewhere in this JVM may have moved forward
        Instant before = io.vendorusage.agent.testsupport.TestClock.agentNow().minusSeconds(1);
        post(event).statusCode(202);
        String occurredAt = ingest().get("/v1/usage-events/{id}", id).then().statusCode(200)
                .extract().path("occurredAt");
        Instant stored = Instant.parse(occurredAt);
        org.junit.jupiter.api.Assertions.assertFalse(stored.isBefore(before), occurredAt);
        org.junit.jupiter.api.Assertions.assertFalse(
                stored.isAfter(io.vendorusage.agent.testsupport.TestClock.agentNow().plusSeconds(1)), occurredAt);
    }

    @Test
    void rejectsUnknownFieldsSoMisspeltFieldsNeverDropData() {
        Map<String, Object> event = event(newId());
        event.put("quantityy", 5);
        rejectsField(event, "quantityy", "not a known field");
    }

    @Test
    void rejectsStringFieldsOfOtherTypes() {
        Map<String, Object> event = event(newId());
        event.put("eventId", 42);
        rejectsField(event, "eventId", "must be a JSON string");
    }

    @Test
    void rejectsWholeBatchWhenOneEventIsInvalidAndNamesEachBadEvent() {
        String good = newId();
        Map<String, Object> badQuantity = event(newId());
        badQuantity.put("quantity", "7");
        Map<String, Object> badOrg = event(newId());
        badOrg.put("organizationId", "nope");
        post(List.of(event(good), badQuantity, event(newId()), badOrg)).statusCode(400)
                .body("errors", hasSize(2))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("quantity"))
                .body("errors[1].index", equalTo(3))
                .body("errors[1].field", equalTo("organizationId"));
        assertNotStored(good);
    }

    @Test
    void rejectsArrayElementThatIsNotObject() {
        post("[42]").statusCode(400).body("errors[0].index", equalTo(0)).body("errors[0].field", nullValue())
                .body("errors[0].reason", containsString("JSON object"));
    }

    @Test
    void rejectsEmptyArray() {
        post("[]").statusCode(400).body("detail", containsString("no event"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "{\"eventId\":}", "[1,]", "{} {}", "\"just a string\"" })
    void rejectsMalformedOrNonEventJson(String body) {
        post(body).statusCode(400).contentType("application/problem+json");
    }

    @Test
    void rejectsDuplicateKeysInsideOneEvent() {
        String id = newId();
        String body = "{\"eventId\":\"" + id + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":1,\"quantity\":2}";
        post(body).statusCode(400).body("detail", containsString("Duplicate field"));
        assertNotStored(id);
    }
}
