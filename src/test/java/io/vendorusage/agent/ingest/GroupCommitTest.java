package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.outbox.OutboxEventRepository;

/** Concurrent requests share commits, and each still gets its own, correct answer. */
@QuarkusTest
class GroupCommitTest {

    private static final int CLIENTS = 24;
    private static final int REQUESTS_PER_CLIENT = 25;

    @Inject
    OutboxEventRepository repository;

    @Inject
    MeterRegistry registry;

    private long commits() {
        return registry.get("vendorusage.ingest.commit.events").summary().count();
    }

    @Test
    void concurrentRequestsShareCommitsAndEachEventIsStoredOnce() throws Exception {
        long commitsBefore = commits();
        List<String> ids = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Callable<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                List<String> mine = new ArrayList<>();
                for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                    mine.add(newId());
                }
                ids.addAll(mine);
                clients.add(() -> {
                    int accepted = 0;
                    for (String id : mine) {
                        accepted += ingest().body(event(id)).post("/v1/usage-events").then().statusCode(202)
                                .extract().<Integer>path("accepted");
                    }
                    return accepted;
                });
            }
            int accepted = 0;
            for (Future<Integer> f : pool.invokeAll(clients)) {
                accepted += f.get();
            }
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, accepted);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ids.size(), repository.count("eventId in ?1", ids), "every answered event is stored, once");
        long commits = commits() - commitsBefore;
        assertTrue(commits < ids.size(), commits + " commits for " + ids.size() + " concurrent requests: none shared");
    }

    @Test
    void racingRequestsForOneNewIdWithDifferentContentGetOneAcceptAndOneConflict() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String id = newId();
                Map<String, Object> one = event(id);
                Map<String, Object> other = event(id);
                other.put("quantity", 7);
                List<Future<Integer>> answers = pool.invokeAll(List.<Callable<Integer>>of(
                        () -> ingest().body(one).post("/v1/usage-events").statusCode(),
                        () -> ingest().body(other).post("/v1/usage-events").statusCode()));
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) {
                    statuses.add(f.get());
                }
                statuses.sort(null);
                assertEquals(List.of(202, 409), statuses, "round " + round);
                assertEquals(1, repository.count("eventId", id));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
