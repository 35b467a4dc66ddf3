package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxWriter;

/**
 * A store that stops keeping up: requests queue up to the configured number of events, the next one is
 * refused at once with 503 and Retry-After, and the queued ones are answered 202 once the store takes them.
 */
@QuarkusTest
@TestProfile(IngestBackPressureTest.SmallQueue.class)
class IngestBackPressureTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.ingest.queue-capacity", "1000",
                    "quarkus.datasource.jdbc.acquisition-timeout", "60S",
                    "agent.data-dir", "./target/test-data-backpressure");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxWriter writer;

    @Inject
    OutboxEventRepository repository;

    @Test
    void fullQueueRefusesWith503AndRetryAfterAndQueuedRequestsStillLand() throws Exception {
        List<Map<String, Object>> big = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            big.add(event(newId()));
        }
        String first = newId();
        String refused = newId();
        // the store stops answering the writer: every pooled connection is held elsewhere
        List<Connection> held = new ArrayList<>();
        CompletableFuture<Integer> a;
        CompletableFuture<Integer> b;
        try {
            int max = dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
            for (int i = 0; i < max; i++) {
                held.add(dataSource.getConnection());
            }
            a = CompletableFuture.supplyAsync(() -> ingest().body(event(first)).post("/v1/usage-events").statusCode());
            b = CompletableFuture.supplyAsync(() -> ingest().body(big).post("/v1/usage-events").statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writer.queuedEvents() == 1000);

            ingest().body(event(refused)).post("/v1/usage-events").then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://vendorusage.io/problems/ingest-saturated"));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertEquals(202, a.get());
        assertEquals(202, b.get());
        assertEquals(1, repository.count("eventId", first));
        assertEquals(999, repository.count("eventId in ?1", big.stream().map(e -> e.get("eventId")).toList()));
        assertEquals(0, repository.count("eventId", refused), "a refused request leaves nothing behind");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> writer.queuedEvents() == 0);
        ingest().body(event(refused)).post("/v1/usage-events").then().statusCode(202).body("accepted", equalTo(1));
    }
}
