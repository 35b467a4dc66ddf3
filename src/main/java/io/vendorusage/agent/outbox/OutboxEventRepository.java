package io.vendorusage.agent.outbox;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Queries over the events table. */
@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {

    /** Backlog figures: how many events are pending and when the oldest of them was received. */
    public record Backlog(long pending, Instant oldestReceivedAt) {
    }

    /** An aggregation group: one organization, one app, one window. */
    public record GroupKey(String organizationId, String appId, Instant bucketStart) {
    }

    /** Figures over the events one record carries. */
    public record Aggregate(java.math.BigDecimal sum, java.math.BigDecimal max, long count) {
    }

    public Optional<OutboxEvent> findByEventId(String eventId) {
        return find("eventId", eventId).firstResultOptional();
    }

    public List<OutboxEvent> findByEventIds(Collection<String> eventIds) {
        return list("eventId in ?1", eventIds);
    }

    public Backlog backlog() {
        Object[] row = getEntityManager()
                .createQuery("select count(e), min(e.receivedAt) from OutboxEvent e where e.status = :status",
                        Object[].class)
                .setParameter("status", OutboxStatus.PENDING)
                .getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), (Instant) row[1]);
    }

    /**
     * Deletes at most {@code limit} submitted events submitted before {@code cutoff}.
     *
     * @return how many were deleted
     */
    public int deleteSubmittedBefore(Instant cutoff, int limit) {
        List<Long> ids = getEntityManager()
                .createQuery("select e.id from OutboxEvent e where e.status = :status and e.submittedAt < :cutoff"
                        + " order by e.id", Long.class)
                .setParameter("status", OutboxStatus.SUBMITTED)
                .setParameter("cutoff", cutoff)
                .setMaxResults(limit)
                .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        return (int) delete("id in ?1", ids);
    }

    /** Groups of pending events not yet carried by any record, in windows starting at or before {@code cutoff}. */
    public List<GroupKey> unplannedGroups(Instant cutoff, int limit) {
        return getEntityManager().createQuery("select e.organizationId, e.appId, e.bucketStart from OutboxEvent e"
                + " where e.status = :status and e.submissionId is null and e.bucketStart <= :cutoff"
                + " group by e.organizationId, e.appId, e.bucketStart order by e.bucketStart", Object[].class)
                .setParameter("status", OutboxStatus.PENDING)
                .setParameter("cutoff", cutoff)
                .setMaxResults(limit)
                .getResultStream()
                .map(r -> new GroupKey((String) r[0], (String) r[1], (Instant) r[2]))
                .toList();
    }

    /** Points every unplanned pending event of the group at the record; returns how many. */
    public int claimForRecord(GroupKey group, String submissionId) {
        return update("submissionId = ?1 where status = ?2 and submissionId is null and organizationId = ?3"
                + " and appId = ?4 and bucketStart = ?5", submissionId, OutboxStatus.PENDING, group.organizationId(),
                group.appId(), group.bucketStart());
    }

    public Aggregate aggregate(String submissionId) {
        Object[] row = getEntityManager().createQuery("select sum(e.quantity), max(e.quantity), count(e)"
                + " from OutboxEvent e where e.submissionId = :id", Object[].class)
                .setParameter("id", submissionId)
                .getSingleResult();
        return new Aggregate((java.math.BigDecimal) row[0], (java.math.BigDecimal) row[1],
                ((Number) row[2]).longValue());
    }

    /** Moves the events carried by one record to another (a high-water-mark peak already covers them). */
    public int reassign(String fromSubmissionId, String toSubmissionId) {
        return update("submissionId = ?1 where submissionId = ?2", toSubmissionId, fromSubmissionId);
    }

    /** Sets the status of every event the record carries that is not already there. */
    public int setStatusByRecord(String submissionId, OutboxStatus status, Instant submittedAt) {
        return update("status = ?1, submittedAt = ?2 where submissionId = ?3 and status <> ?1", status, submittedAt,
                submissionId);
    }
}
