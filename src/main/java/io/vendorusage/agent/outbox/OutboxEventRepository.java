package io.vendorusage.agent.outbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.vendorusage.agent.store.StoreValues;

/**
 * Queries over the events table. An event row is inserted once and never rewritten: records carry ranges of
 * the ordinals events have in their window ({@link OutboxWindows}).
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

    /** Events of one window with ordinals from {@code firstSeq} to {@code lastSeq}, both included. */
    public record WindowRange(String organizationId, String appId, Instant bucketStart, long firstSeq, long lastSeq) {
    }

    /** Figures over a set of events. */
    public record Aggregate(BigDecimal sum, BigDecimal max, long count, Instant oldestReceivedAt) {

        public static final Aggregate NONE = new Aggregate(BigDecimal.ZERO, null, 0, null);

        /** @return both sets together */
        public Aggregate plus(Aggregate o) {
            return new Aggregate(sum.add(o.sum), max == null ? o.max : o.max == null ? max : max.max(o.max),
                    count + o.count, oldestReceivedAt == null ? o.oldestReceivedAt : o.oldestReceivedAt == null
                            || oldestReceivedAt.isBefore(o.oldestReceivedAt) ? oldestReceivedAt : o.oldestReceivedAt);
        }
    }

    public Optional<OutboxEvent> findByEventId(String eventId) {
        return find("eventId", eventId).firstResultOptional();
    }

    public List<OutboxEvent> findByEventIds(Collection<String> eventIds) {
        return list("eventId in ?1", eventIds);
    }

    /** @return ids of at most {@code limit} events of the window whose ordinals lie in [first, last] */
    public List<Long> idsInRange(WindowRange range, int limit) {
        return getEntityManager().createQuery("select e.id from OutboxEvent e where e.organizationId = ?1"
                + " and e.appId = ?2 and e.bucketStart = ?3 and e.windowSeq >= ?4 and e.windowSeq <= ?5", Long.class)
                .setParameter(1, range.organizationId()).setParameter(2, range.appId())
                .setParameter(3, range.bucketStart()).setParameter(4, range.firstSeq())
                .setParameter(5, range.lastSeq()).setMaxResults(limit).getResultList();
    }

    /** Deletes the given events; returns how many. */
    public int deleteByIds(List<Long> ids) {
        return ids.isEmpty() ? 0 : (int) delete("id in ?1", ids);
    }

    /** @return the figures of the events of one window whose ordinals lie in the range, cancelled ones left out */
    public Aggregate aggregate(WindowRange range) {
        jakarta.persistence.Tuple row = getEntityManager().createQuery("select coalesce(sum(e.quantity), 0) as total,"
                + " max(e.quantity) as peak, count(e) as n, min(e.receivedAt) as oldest from OutboxEvent e"
                + " where e.organizationId = ?1 and e.appId = ?2 and e.bucketStart = ?3 and e.windowSeq >= ?4"
                + " and e.windowSeq <= ?5 and e.cancelledAt is null", jakarta.persistence.Tuple.class)
                .setParameter(1, range.organizationId()).setParameter(2, range.appId())
                .setParameter(3, range.bucketStart()).setParameter(4, range.firstSeq())
                .setParameter(5, range.lastSeq()).getSingleResult();
        return new Aggregate(StoreValues.decimal(row.get("total")), row.get("peak", BigDecimal.class),
                row.get("n", Number.class).longValue(), row.get("oldest", Instant.class));
    }

    /** @return the figures of the events in all these ranges, cancelled ones left out */
    public Aggregate aggregate(List<WindowRange> ranges) {
        Aggregate total = Aggregate.NONE;
        for (WindowRange range : ranges) {
            total = total.plus(aggregate(range));
        }
        return total;
    }

    /** Marks the event cancelled, unless it already is. */
    public void cancel(long id, Instant now) {
        update("cancelledAt = ?1 where id = ?2 and cancelledAt is null", now, id);
    }
}
