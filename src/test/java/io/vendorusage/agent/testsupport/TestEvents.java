package io.vendorusage.agent.testsupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Builds ingest requests for tests: unique ids, valid defaults, the test profile's tokens. */
public final class TestEvents {

    public static final String INGEST_TOKEN = "test-ingest-token";
    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String SUM_APP = "premium-minutes";
    public static final String PEAK_APP = "premium-seats";
    public static final String ORG = "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e";

    private TestEvents() {
    }

    /** @return an event id no other test uses */
    public static String newId() {
        return "evt-" + UUID.randomUUID();
    }

    /** @return {@code count} organization ids no other test uses */
    public static List<String> newOrgs(int count) {
        return java.util.stream.Stream.generate(() -> UUID.randomUUID().toString()).limit(count).toList();
    }

    /** @return a valid event, as a mutable map so a test can break one field */
    public static Map<String, Object> event(String eventId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("organizationId", ORG);
        event.put("appId", SUM_APP);
        event.put("quantity", 3);
        event.put("occurredAt", Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        return event;
    }

    /** @return a valid CloudEvent 1.0 (structured mode) carrying {@link #event}'s values, mutable */
    public static Map<String, Object> cloudEvent(String id) {
        Map<String, Object> plain = event(id);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "//meter.example.com/premium");
        event.put("type", plain.get("appId"));
        event.put("subject", plain.get("organizationId"));
        event.put("time", plain.get("occurredAt"));
        event.put("datacontenttype", "application/json");
        event.put("data", new LinkedHashMap<>(Map.of("quantity", plain.get("quantity"))));
        return event;
    }

    /** @return a request carrying the operator (admin) token */
    public static RequestSpecification operator() {
        return RestAssured.given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** @return a request carrying the ingest token and a JSON content type */
    public static RequestSpecification ingest() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer " + INGEST_TOKEN);
    }
}
