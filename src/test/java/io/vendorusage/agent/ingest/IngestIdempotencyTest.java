package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.outbox.OutboxEventRepository;

@QuarkusTest
class IngestIdempotencyTest {

    @Inject
    OutboxEventRepository repository;

    private static ValidatableResponse post(Object body) {
        return ingest().body(body).post("/v1/usage-events").then();
    }

    private long stored(String eventId) {
        return repository.count("eventId", eventId);
    }

    @Test
    void resendWithSameContentIsDuplicateAndStoredOnce() {
        String id = newId();
        Map<String, Object> event = event(id);
        post(event).statusCode(202).body("accepted", equalTo(1));
        post(event).statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(1))
                .body("events[0].status", equalTo("duplicate"));
        assertEquals(1, stored(id));
    }

    @Test
    void numbersAreComparedByValue() {
        String id = newId();
        String template = "{\"eventId\":\"" + id + "\",\"organizationId\":\"" + TestEvents.ORG
                + "\",\"appId\":\"premium-minutes\",\"quantity\":%s,\"occurredAt\":\"%s\"}";
        String at = event(id).get("occurredAt").toString();
        post(String.format(template, "1", at)).statusCode(202).body("accepted", equalTo(1));
        post(String.format(template, "1.0", at)).statusCode(202).body("duplicates", equalTo(1));
        post(String.format(template, "1.000000", at)).statusCode(202).body("duplicates", equalTo(1));
    }

    @Test
    void sameInstantInAnotherOffsetIsSameContent() {
        String id = newId();
        Map<String, Object> event = event(id);
        event.put("occurredAt", "2000-01-01T10:00:00Z".replace("2000-01-01", yesterday()));
        post(event).statusCode(202);
        event.put("occurredAt", "2000-01-01T12:00:00+02:00".replace("2000-01-01", yesterday()));
        post(event).statusCode(202).body("duplicates", equalTo(1));
    }

    @Test
    void omittedOccurredAtMatchesStoredDefault() {
        String id = newId();
        Map<String, Object> event = event(id);
        event.remove("occurredAt");
        post(event).statusCode(202).body("accepted", equalTo(1));
        post(event).statusCode(202).body("duplicates", equalTo(1));
    }

    @Test
    void sameIdWithDifferentContentIsConflictAndStoresNothingFromThatRequest() {
        String id = newId();
        post(event(id)).statusCode(202);
        Map<String, Object> changed = event(id);
        changed.put("quantity", 4);
        String bystander = newId();
        post(List.of(event(bystander), changed)).statusCode(409)
                .contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("eventId"));
        assertEquals(0, stored(bystander));
        ingest().get("/v1/usage-events/{id}", id).then().body("quantity", equalTo(3));
    }

    @Test
    void sameIdTwiceInOneRequestIsCountedOnce() {
        String id = newId();
        Map<String, Object> event = event(id);
        post(List.of(event, event)).statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(1))
                .body("events[0].status", equalTo("accepted"))
                .body("events[1].status", equalTo("duplicate"));
        assertEquals(1, stored(id));
    }

    @Test
    void sameIdTwiceInOneRequestWithDifferentContentIsConflict() {
        String id = newId();
        Map<String, Object> other = event(id);
        other.put("quantity", 9);
        post(List.of(event(id), other)).statusCode(409);
        assertEquals(0, stored(id));
    }

    @Test
    void concurrentRequestsWithOverlappingIdsStoreEachEventOnce() throws Exception {
        List<Map<String, Object>> shared = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            shared.add(event(newId()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<int[]>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> {
                    var response = ingest().body(shared).post("/v1/usage-events").then().statusCode(202).extract();
                    return new int[] { response.path("accepted"), response.path("duplicates") };
                });
            }
            int accepted = 0;
            int duplicates = 0;
            for (Future<int[]> f : pool.invokeAll(calls)) {
                accepted += f.get()[0];
                duplicates += f.get()[1];
            }
            assertEquals(50, accepted, "each event accepted exactly once across racing requests");
            assertEquals(250, duplicates);
        } finally {
            pool.shutdownNow();
        }
        for (Map<String, Object> event : shared) {
            assertEquals(1, stored((String) event.get("eventId")));
        }
    }

    /** Yesterday (UTC): its 10:00Z is in the past and within max-lateness at any hour of the run. */
    private static String yesterday() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
    }
}
