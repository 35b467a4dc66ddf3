package io.vendorusage.agent.submission;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.store.StoreValues;

/**
 * Which events a record carries: ranges of ordinals in their windows ({@code submission_window}), one row per
 * window and planning step. Ranges never overlap, because a window's events are handed out under its lock from
 * {@code planned_count} on. Callers run inside a transaction.
 */
@ApplicationScoped
public class RecordRanges {

    private final EntityManager em;

    public RecordRanges(EntityManager em) {
        this.em = em;
    }

    /** The record now carries the range. */
    public void add(String submissionId, WindowRange range, Instant now) {
        em.createNativeQuery("INSERT INTO submission_window (submission_id, organization_id, app_id, bucket_start,"
                + " first_seq, last_seq, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, submissionId).setParameter(2, range.organizationId()).setParameter(3, range.appId())
                .setParameter(4, utc(range.bucketStart())).setParameter(5, range.firstSeq())
                .setParameter(6, range.lastSeq()).setParameter(7, utc(now)).executeUpdate();
    }

    /** @return the record that carries the event with this ordinal in its window, if one does */
    public Optional<String> recordOf(String organizationId, String appId, Instant bucketStart, long seq) {
        List<?> ids = em.createNativeQuery("SELECT submission_id FROM submission_window WHERE organization_id = ?1"
                + " AND app_id = ?2 AND bucket_start = ?3 AND first_seq <= ?4 AND last_seq >= ?4")
                .setParameter(1, organizationId).setParameter(2, appId).setParameter(3, utc(bucketStart))
                .setParameter(4, seq).setMaxResults(1).getResultList();
        return ids.stream().map(String.class::cast).findFirst();
    }

    /** @return every range the record carries */
    public List<WindowRange> rangesOf(String submissionId) {
        List<?> rows = em.createNativeQuery("SELECT " + RANGE + " FROM submission_window w"
                + " WHERE w.submission_id = ?1 ORDER BY w.bucket_start, w.first_seq", Tuple.class)
                .setParameter(1, submissionId).getResultList();
        return rows.stream().map(o -> range((Tuple) o)).toList();
    }

    /** Forgets every range of a record that is being dropped. */
    public void removeAll(String submissionId) {
        em.createNativeQuery("DELETE FROM submission_window WHERE submission_id = ?1").setParameter(1, submissionId)
                .executeUpdate();
    }

    /** A range of a record, for the retention purge. */
    public record Held(String submissionId, WindowRange range) {
    }

    /**
     * @return at most {@code limit} ranges of records confirmed before {@code cutoff} that were added before it
     *         (a range a high-water-mark peak covers later keeps its events for the full retention too)
     */
    public List<Held> confirmedBefore(Instant cutoff, int limit) {
        List<?> rows = em.createNativeQuery("SELECT w.submission_id AS record, " + RANGE + " FROM submission_window w"
                + " JOIN submission s ON s.id = w.submission_id WHERE s.state = 'CONFIRMED' AND s.confirmed_at < ?1"
                + " AND w.created_at < ?1 ORDER BY s.confirmed_at", Tuple.class).setParameter(1, utc(cutoff))
                .setMaxResults(limit).getResultList();
        return rows.stream().map(Tuple.class::cast).map(r -> new Held(r.get("record", String.class), range(r)))
                .toList();
    }

    /** Forgets a range whose events are gone. */
    public void remove(Held held) {
        WindowRange r = held.range();
        em.createNativeQuery("DELETE FROM submission_window WHERE organization_id = ?1 AND app_id = ?2"
                + " AND bucket_start = ?3 AND first_seq = ?4").setParameter(1, r.organizationId())
                .setParameter(2, r.appId()).setParameter(3, utc(r.bucketStart())).setParameter(4, r.firstSeq())
                .executeUpdate();
    }

    /** The columns of a range of {@code submission_window w}, under the aliases {@link #range(Tuple)} reads. */
    private static final String RANGE = "w.organization_id AS org, w.app_id AS app, w.bucket_start AS bucket,"
            + " w.first_seq AS first, w.last_seq AS last";

    private static WindowRange range(Tuple r) {
        return new WindowRange(r.get("org", String.class), r.get("app", String.class),
                StoreValues.instant(r.get("bucket")), r.get("first", Number.class).longValue(),
                r.get("last", Number.class).longValue());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
