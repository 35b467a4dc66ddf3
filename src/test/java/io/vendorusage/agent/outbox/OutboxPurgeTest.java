package io.vendorusage.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.testsupport.TestEvents;

@QuarkusTest
class OutboxPurgeTest {

    @Inject
    OutboxJobs jobs;

    @Inject
    OutboxWriter outbox;

    @Inject
    OutboxEventRepository repository;

    private String store(OutboxStatus status, Instant submittedAt) {
        String id = TestEvents.newId();
        Instant now = Instant.now();
        outbox.append(List.of(new NewEvent(id, TestEvents.ORG, TestEvents.SUM_APP, BigDecimal.ONE, now, false)), now);
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxEvent e = repository.findByEventId(id).orElseThrow();
            e.status = status;
            e.submittedAt = submittedAt;
            e.submissionId = status == OutboxStatus.PENDING ? null : "sub-test";
        });
        return id;
    }

    @Test
    void purgesOnlySubmittedEventsPastRetentionInBatches() {
        Instant old = Instant.now().minus(Duration.ofDays(8));
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < OutboxJobs.PURGE_BATCH + 5; i++) {
            expired.add(null);
        }
        // more than one batch of expired events, plus events that must stay
        List<NewEvent> batch = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < expired.size(); i++) {
            String id = TestEvents.newId();
            expired.set(i, id);
            batch.add(new NewEvent(id, TestEvents.ORG, TestEvents.SUM_APP, BigDecimal.ONE, now, false));
        }
        outbox.append(batch, now);
        QuarkusTransaction.requiringNew().run(() -> repository.update(
                "status = ?1, submittedAt = ?2, submissionId = 'sub-test' where eventId in ?3",
                OutboxStatus.SUBMITTED, old, expired));
        String recent = store(OutboxStatus.SUBMITTED, Instant.now().minus(Duration.ofDays(1)));
        String pendingOld = store(OutboxStatus.PENDING, null);
        String failedOld = store(OutboxStatus.FAILED, old);

        long purged = jobs.purgeSubmitted();

        assertTrue(purged >= expired.size(), "purged " + purged);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> repository.count("eventId in ?1", expired)));
        for (String kept : List.of(recent, pendingOld, failedOld)) {
            assertTrue(repository.findByEventId(kept).isPresent(), kept + " must be kept");
        }
    }
}
