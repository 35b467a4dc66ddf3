package io.vendorusage.agent.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.outbox.NewEvent;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxWriter;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.testsupport.TestEvents;

@QuarkusTest
class EventRetentionTest {

    @Inject
    EventRetention retention;

    @Inject
    OutboxWriter outbox;

    @Inject
    OutboxEventRepository events;

    @Inject
    SubmissionRepository submissions;

    @Inject
    RecordRanges ranges;

    @Inject
    OutboxWindows windows;

    /** Stores {@code count} events carried by a new record in {@code state}, confirmed at {@code confirmedAt}. */
    private static final java.util.concurrent.atomic.AtomicInteger REVISIONS = new java.util.concurrent.atomic.AtomicInteger();
    /** An org of this test alone, so its records never meet those of earlier runs on the same store. */
    private final String org = java.util.UUID.randomUUID().toString();

    private List<String> eventsOfRecord(int count, SubmissionState state, Instant confirmedAt) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new NewEvent(TestEvents.newId(), org, TestEvents.SUM_APP, BigDecimal.ONE, now, false));
        }
        outbox.append(batch, now).join();
        List<String> ids = batch.stream().map(NewEvent::eventId).toList();
        if (state == null) {
            return ids;
        }
        String recordId = "sub-purge-" + TestEvents.newId();
        QuarkusTransaction.requiringNew().run(() -> {
            Submission s = new Submission();
            s.id = recordId;
            s.organizationId = org;
            s.appId = TestEvents.SUM_APP;
            s.bucketStart = now.truncatedTo(ChronoUnit.HOURS);
            s.revision = REVISIONS.incrementAndGet();
            s.mode = AppMode.SUM;
            s.quantity = BigDecimal.valueOf(count);
            s.eventCount = count;
            s.state = state;
            s.nextAttemptAt = now;
            s.createdAt = now;
            s.updatedAt = now;
            s.confirmedAt = confirmedAt;
            submissions.persist(s);
            List<io.vendorusage.agent.outbox.OutboxEvent> stored = events.findByEventIds(ids);
            long first = stored.stream().mapToLong(e -> e.windowSeq).min().orElseThrow();
            long last = stored.stream().mapToLong(e -> e.windowSeq).max().orElseThrow();
            WindowRange range = new WindowRange(org, TestEvents.SUM_APP, stored.get(0).bucketStart, first, last);
            ranges.add(recordId, range, Instant.now().minus(Duration.ofDays(30)));
            windows.planned(range);
        });
        return ids;
    }

    private long stored(List<String> eventIds) {
        return QuarkusTransaction.requiringNew().call(() -> events.count("eventId in ?1", eventIds));
    }

    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Inject
    io.vendorusage.agent.observability.JobWatch jobs;

    /**
     * The scheduled purge runs once 30 s after start: paused here (and any run of it let finish), so that it
     * cannot delete this test's events between their setup and the purge the test counts.
     */
    @org.junit.jupiter.api.BeforeEach
    void pauseTheScheduledPurge() {
        scheduler.pause("outbox-purge");
        Awaitility.await("the scheduled purge ended").atMost(Duration.ofSeconds(30))
                .until(() -> !jobs.isRunning("outbox-purge"));
    }

    @org.junit.jupiter.api.AfterEach
    void resumeTheScheduledPurge() {
        scheduler.resume("outbox-purge");
    }

    @Test
    void purgesOnlyEventsOfRecordsConfirmedBeforeRetentionInBatches() {
        Instant old = Instant.now().minus(Duration.ofDays(8));
        // more than one batch of one record, and a second old record
        List<String> expired = new ArrayList<>(eventsOfRecord(EventRetention.BATCH + 5 - 3, SubmissionState.CONFIRMED,
                old));
        expired.addAll(eventsOfRecord(3, SubmissionState.CONFIRMED, old.plusSeconds(1)));
        List<String> recent = eventsOfRecord(2, SubmissionState.CONFIRMED, Instant.now().minus(Duration.ofDays(1)));
        List<String> failed = eventsOfRecord(2, SubmissionState.FAILED, null);
        List<String> uncertain = eventsOfRecord(2, SubmissionState.UNCERTAIN, null);
        List<String> planned = eventsOfRecord(2, SubmissionState.PLANNED, null);
        List<String> unassigned = eventsOfRecord(2, null, null);

        long purged = retention.purgeConfirmed();

        assertTrue(purged >= expired.size(), "purged " + purged);
        assertEquals(0, stored(expired));
        for (List<String> kept : List.of(recent, failed, uncertain, planned, unassigned)) {
            assertEquals(kept.size(), stored(kept), kept + " must be kept");
        }
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Inject
    io.vendorusage.agent.store.StoreMaintenance maintenance;

    private io.vendorusage.agent.store.StoreMaintenance.Pages pages() throws java.sql.SQLException {
        maintenance.checkpoint();
        try (java.sql.Connection c = dataSource.getConnection()) {
            return io.vendorusage.agent.store.StoreMaintenance.pages(c);
        }
    }

    @Test
    void theEmbeddedStoreFileShrinksAfterAPurge() throws Exception {
        Assumptions.assumeFalse(io.vendorusage.agent.testsupport.StoreOutage.isPostgresql(),
                "PostgreSQL manages its own files");
        Instant old = Instant.now().minus(Duration.ofDays(8));
        for (int i = 0; i < 20; i++) {
            eventsOfRecord(1000, SubmissionState.CONFIRMED, old);
        }
        var before = pages();
        long purged = retention.purgeConfirmed();
        var after = pages();
        java.nio.file.Path file = java.nio.file.Path.of(ConfigProvider.getConfig()
                .getValue("agent.data-dir", String.class), "vendorusage.db");
        System.out.printf("store file: %d pages (%d KiB) before purging %d events, %d pages (%d KiB, file %d KiB)"
                + " after, %d free inside%n", before.pages(), before.bytes() >> 10, purged, after.pages(),
                after.bytes() >> 10, java.nio.file.Files.size(file) >> 10, after.free());
        assertTrue(purged >= 20_000, "purged " + purged);
        assertTrue(after.pages() < before.pages() - 100, "the file gave the purged pages back: " + before + " -> "
                + after);
        assertEquals(0, after.free(), "no free page left inside the file");
        assertEquals(after.bytes(), java.nio.file.Files.size(file), "the file is as small as its pages");
    }
}
