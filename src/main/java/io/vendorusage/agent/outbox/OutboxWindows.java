package io.vendorusage.agent.outbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.vendorusage.agent.outbox.OutboxEventRepository.Backlog;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.store.StoreValues;

/**
 * The windows table: per (organization, app, window start) how many events were appended ({@code event_count},
 * their ordinals are 1..event_count) and how many of them records carry ({@code planned_count}). Ingest raises
 * the count under the row's lock ({@link EventRows}); planning locks the row, takes the events after
 * {@code planned_count} and moves it on. Callers run inside a transaction.
 */
@ApplicationScoped
public class OutboxWindows {

    /** The key columns of a window, under the aliases {@link #rows} reads. */
    private static final String WINDOW = "organization_id AS org, app_id AS app, bucket_start AS bucket";

    private final EntityManager em;

    public OutboxWindows(EntityManager em) {
        this.em = em;
    }

    /**
     * Locks the window's row until the transaction ends (an ingest commit holding it finishes first) and reads
     * what waits in it.
     *
     * @return the events of the window no record carries yet, empty when there are none
     */
    public Optional<WindowRange> lockUnplanned(GroupKey window) {
        return lockAfter(window, "planned_count");
    }

    /** Locks the window's row and reads its events after the ordinal {@code doneColumn} holds. */
    private Optional<WindowRange> lockAfter(GroupKey window, String doneColumn) {
        if (!lock(window)) {
            return Optional.empty();
        }
        Tuple counts = (Tuple) em.createNativeQuery("SELECT event_count AS n, " + doneColumn + " AS done"
                + " FROM outbox_window WHERE organization_id = ?1 AND app_id = ?2 AND bucket_start = ?3", Tuple.class)
                .setParameter(1, window.organizationId()).setParameter(2, window.appId())
                .setParameter(3, utc(window.bucketStart())).getSingleResult();
        long events = counts.get("n", Number.class).longValue();
        long done = counts.get("done", Number.class).longValue();
        return events > done ? Optional.of(new WindowRange(window.organizationId(), window.appId(),
                window.bucketStart(), done + 1, events)) : Optional.empty();
    }

    /**
     * Locks the window's row until the transaction ends: planning, folding and cancelling take it in turn.
     *
     * @return whether the window exists
     */
    public boolean lock(GroupKey window) {
        // an update takes the row lock on every store (SELECT ... FOR UPDATE is not portable)
        return em.createNativeQuery("UPDATE outbox_window SET has_backlog = has_backlog"
                + " WHERE organization_id = ?1 AND app_id = ?2 AND bucket_start = ?3")
                .setParameter(1, window.organizationId()).setParameter(2, window.appId())
                .setParameter(3, utc(window.bucketStart())).executeUpdate() > 0;
    }

    /** Records now carry the window's events up to {@code range.lastSeq()}. */
    public void planned(WindowRange range) {
        em.createNativeQuery("UPDATE outbox_window SET planned_count = ?1, has_backlog = (event_count > ?1)"
                + " WHERE organization_id = ?2 AND app_id = ?3 AND bucket_start = ?4")
                .setParameter(1, range.lastSeq()).setParameter(2, range.organizationId())
                .setParameter(3, range.appId()).setParameter(4, utc(range.bucketStart())).executeUpdate();
    }

    /**
     * Which windows with events waiting are due: those starting at or before {@code cutoff} whose newest event
     * arrived at or before {@code quietSince}, or that have waited for quiet long enough: they start at or before
     * {@code heldSince} (due for max-hold) and their waiting events began to arrive at or before
     * {@code backlogSince} (a replayed window of a long-closed hour waits from its first event, not its due time).
     */
    public record Due(Instant cutoff, Instant quietSince, Instant heldSince, Instant backlogSince) {

        private static final String WHERE = " has_backlog = TRUE AND bucket_start <= ?1 AND (last_received_at IS NULL"
                + " OR last_received_at <= ?2 OR (bucket_start <= ?3 AND (backlog_since IS NULL"
                + " OR backlog_since <= ?4)))";

        private jakarta.persistence.Query bind(jakarta.persistence.Query query) {
            return query.setParameter(1, utc(cutoff)).setParameter(2, utc(quietSince)).setParameter(3, utc(heldSince))
                    .setParameter(4, utc(backlogSince));
        }
    }

    public List<GroupKey> due(Due due, int limit) {
        return rows(due.bind(em.createNativeQuery("SELECT " + WINDOW + " FROM outbox_window"
                + " WHERE" + Due.WHERE + " ORDER BY bucket_start, organization_id, app_id", Tuple.class)).setMaxResults(limit)
                .getResultList());
    }

    /** @return how many windows are due */
    public long countDue(Due due) {
        return ((Number) due.bind(em.createNativeQuery("SELECT COUNT(*) FROM outbox_window WHERE" + Due.WHERE))
                .getSingleResult()).longValue();
    }

    /** @return the due windows of (org, app) starting in [from, to], oldest first */
    public List<GroupKey> dueOf(Due due, String organizationId, String appId, Instant from, Instant to) {
        return rows(due.bind(em.createNativeQuery("SELECT " + WINDOW + " FROM outbox_window"
                + " WHERE" + Due.WHERE + " AND organization_id = ?5 AND app_id = ?6 AND bucket_start >= ?7"
                + " AND bucket_start <= ?8 ORDER BY bucket_start", Tuple.class)).setParameter(5, organizationId)
                .setParameter(6, appId).setParameter(7, utc(from)).setParameter(8, utc(to)).getResultList());
    }

    /** @return the events no record carries yet, and when the oldest of them arrived */
    public Backlog unplanned() {
        Number waiting = (Number) em.createNativeQuery("SELECT COALESCE(SUM(event_count - planned_count), 0)"
                + " FROM outbox_window WHERE has_backlog = TRUE").getSingleResult();
        // ordinals follow commit order within a window: its oldest waiting event is the one after planned_count
        Object oldest = em.createNativeQuery("SELECT MIN(e.received_at) FROM outbox_window w JOIN outbox_event e"
                + " ON e.organization_id = w.organization_id AND e.app_id = w.app_id"
                + " AND e.bucket_start = w.bucket_start AND e.window_seq = w.planned_count + 1"
                + " WHERE w.has_backlog = TRUE").getSingleResult();
        return new Backlog(waiting.longValue(), StoreValues.instant(oldest));
    }

    /** Sum and peak of the events no record carries yet, per (org, app), in windows starting in [start, end). */
    public record Unplanned(BigDecimal sum, BigDecimal max) {
    }

    /**
     * @param organizationId only this org, or every org when null
     * @return by (org, app) (the window left null), the figures of the events waiting for a record
     */
    public Map<GroupKey, Unplanned> unplannedFigures(Instant start, Instant end, String organizationId) {
        jakarta.persistence.Query query = em.createNativeQuery("SELECT w.organization_id AS org, w.app_id AS app,"
                + " SUM(e.quantity) AS total, MAX(e.quantity) AS peak FROM outbox_window w JOIN outbox_event e ON e.organization_id = w.organization_id"
                + " AND e.app_id = w.app_id AND e.bucket_start = w.bucket_start AND e.window_seq > w.planned_count"
                + " AND e.cancelled_at IS NULL WHERE w.has_backlog = TRUE AND w.bucket_start >= ?1"
                + " AND w.bucket_start < ?2"
                + (organizationId == null ? "" : " AND w.organization_id = ?3")
                + " GROUP BY w.organization_id, w.app_id", Tuple.class)
                .setParameter(1, utc(start)).setParameter(2, utc(end));
        if (organizationId != null) {
            query.setParameter(3, organizationId);
        }
        Map<GroupKey, Unplanned> figures = new HashMap<>();
        for (Object o : query.getResultList()) {
            Tuple r = (Tuple) o;
            figures.put(new GroupKey(r.get("org", String.class), r.get("app", String.class), null),
                    new Unplanned(StoreValues.decimal(r.get("total")), StoreValues.decimal(r.get("peak"))));
        }
        return figures;
    }

    /** @return windows of these apps holding events not yet counted towards usage thresholds, oldest first */
    public List<GroupKey> untallied(java.util.Collection<String> appIds, int limit) {
        return rows(em.createNativeQuery("SELECT " + WINDOW + " FROM outbox_window"
                + " WHERE app_id IN (?1) AND event_count > tallied_count ORDER BY bucket_start, organization_id, app_id",
                Tuple.class)
                .setParameter(1, List.copyOf(appIds)).setMaxResults(limit).getResultList());
    }

    /**
     * Locks the window's row until the transaction ends and reads the events not yet counted towards usage
     * thresholds.
     *
     * @return their ordinals, empty when there are none
     */
    public Optional<WindowRange> lockUntallied(GroupKey window) {
        return lockAfter(window, "tallied_count");
    }

    /** The window's events up to {@code range.lastSeq()} are counted towards usage thresholds. */
    public void tallied(WindowRange range) {
        em.createNativeQuery("UPDATE outbox_window SET tallied_count = ?1 WHERE organization_id = ?2 AND app_id = ?3"
                + " AND bucket_start = ?4").setParameter(1, range.lastSeq()).setParameter(2, range.organizationId())
                .setParameter(3, range.appId()).setParameter(4, utc(range.bucketStart())).executeUpdate();
    }

    private static List<GroupKey> rows(List<?> result) {
        return result.stream().map(Tuple.class::cast).map(r -> new GroupKey(r.get("org", String.class),
                r.get("app", String.class), StoreValues.instant(r.get("bucket")))).toList();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
