package io.vendorusage.agent.outbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/**
 * Queries over the events table. An event row is inserted once and written once more, when planning assigns it
 * to a record ({@code submissionId}); nothing here rewrites an assigned event.
 */
@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {

    /** Backlog figures: how many events and when the oldest of them was received (null when none). */
    public record Backlog(long pending, Instant oldestReceivedAt) {

        public static final Backlog EMPTY = new Backlog(0, null);

        /** @return both backlogs together */
        public Backlog plus(Backlog other) {
            Instant oldest = oldestReceivedAt == null ? other.oldestReceivedAt
                    : other.oldestReceivedAt == null || oldestReceivedAt.isBefore(other.oldestReceivedAt)
                            ? oldestReceivedAt : other.oldestReceivedAt;
            return new Backlog(pending + other.pending, oldest);
        }
    }

    /** An aggregation group: one organization, one app, one window. */
    public record GroupKey(String organizationId, String appId, Instant bucketStart) {
    }

    /**
     * The unassigned events one record takes: one (organization, app) in windows starting from {@code firstBucket}
     * to {@code lastBucket}, both included (a single window, or the due windows of a billing period when the
     * budget is short).
     */
    public record Span(String organizationId, String appId, Instant firstBucket, Instant lastBucket) {

        public static Span of(GroupKey group) {
            return new Span(group.organizationId(), group.appId(), group.bucketStart(), group.bucketStart());
        }
    }

    /** Figures over the events one record carries. */
    public record Aggregate(BigDecimal sum, BigDecimal max, long count, Instant oldestReceivedAt) {
    }

    public Optional<OutboxEvent> findByEventId(String eventId) {
        return find("eventId", eventId).firstResultOptional();
    }

    public List<OutboxEvent> findByEventIds(Collection<String> eventIds) {
        return list("eventId in ?1", eventIds);
    }

    /** @return the events no record carries yet */
    public Backlog unassigned() {
        Object[] row = getEntityManager()
                .createQuery("select count(e), min(e.receivedAt) from OutboxEvent e where e.submissionId is null",
                        Object[].class)
                .getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), (Instant) row[1]);
    }

    /** @return ids of at most {@code limit} events the record carries */
    public List<Long> idsOfRecord(String submissionId, int limit) {
        return getEntityManager().createQuery("select e.id from OutboxEvent e where e.submissionId = :id",
                Long.class).setParameter("id", submissionId).setMaxResults(limit).getResultList();
    }

    /** @return whether the record carries any event that is still stored */
    public boolean recordHasEvents(String submissionId) {
        return !idsOfRecord(submissionId, 1).isEmpty();
    }

    /** Deletes the given events; returns how many. */
    public int deleteByIds(List<Long> ids) {
        return ids.isEmpty() ? 0 : (int) delete("id in ?1", ids);
    }

    /** Groups of events not yet carried by any record, in windows starting at or before {@code cutoff}. */
    public List<GroupKey> unassignedGroups(Instant cutoff, int limit) {
        return getEntityManager().createQuery("select e.organizationId, e.appId, e.bucketStart from OutboxEvent e"
                + " where e.submissionId is null and e.bucketStart <= :cutoff"
                + " group by e.organizationId, e.appId, e.bucketStart order by e.bucketStart", Object[].class)
                .setParameter("cutoff", cutoff)
                .setMaxResults(limit)
                .getResultStream()
                .map(r -> new GroupKey((String) r[0], (String) r[1], (Instant) r[2]))
                .toList();
    }

    /** @return how many windows with unassigned events start at or before {@code cutoff} */
    public long countUnassignedGroups(Instant cutoff) {
        return ((Number) getEntityManager().createNativeQuery("SELECT COUNT(*) FROM (SELECT 1 FROM outbox_event"
                + " WHERE submission_id IS NULL AND bucket_start <= ?1 GROUP BY organization_id, app_id, bucket_start) g")
                .setParameter(1, java.time.OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC))
                .getSingleResult()).longValue();
    }

    /** @return the first window of the span holding an unassigned event, if any */
    public Optional<Instant> firstUnassignedWindow(Span span) {
        return Optional.ofNullable(getEntityManager().createQuery("select min(e.bucketStart) from OutboxEvent e"
                + " where e.submissionId is null and e.organizationId = ?1 and e.appId = ?2 and e.bucketStart >= ?3"
                + " and e.bucketStart <= ?4", Instant.class).setParameter(1, span.organizationId())
                .setParameter(2, span.appId()).setParameter(3, span.firstBucket()).setParameter(4, span.lastBucket())
                .getSingleResult());
    }

    /** Assigns every unassigned event of the span to the record; returns how many. */
    public int assign(Span span, String submissionId) {
        return update("submissionId = ?1 where submissionId is null and organizationId = ?2 and appId = ?3"
                + " and bucketStart >= ?4 and bucketStart <= ?5", submissionId, span.organizationId(), span.appId(),
                span.firstBucket(), span.lastBucket());
    }

    /**
     * Assigns the unassigned events of the span whose quantity is at most {@code peak} to the record holding
     * that peak (a high-water-mark period peak covers them); returns how many.
     */
    public int assignCovered(Span span, BigDecimal peak, String submissionId) {
        return update("submissionId = ?1 where submissionId is null and organizationId = ?2 and appId = ?3"
                + " and bucketStart >= ?4 and bucketStart <= ?5 and quantity <= ?6", submissionId,
                span.organizationId(), span.appId(), span.firstBucket(), span.lastBucket(), peak);
    }

    /** @return the figures of every event the record carries */
    public Aggregate aggregate(String submissionId) {
        Object[] row = getEntityManager().createQuery("select sum(e.quantity), max(e.quantity), count(e),"
                + " min(e.receivedAt) from OutboxEvent e where e.submissionId = :id", Object[].class)
                .setParameter("id", submissionId)
                .getSingleResult();
        return new Aggregate((BigDecimal) row[0], (BigDecimal) row[1], ((Number) row[2]).longValue(),
                (Instant) row[3]);
    }
}
