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
}
