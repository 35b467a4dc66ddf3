package io.vendorusage.agent.upstream;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/** Reads and extends the stored upstream block. */
@ApplicationScoped
public class ThrottleStore {

    private final EntityManager em;

    public ThrottleStore(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Optional<UpstreamThrottle> load() {
        return Optional.ofNullable(em.find(UpstreamThrottle.class, UpstreamThrottle.GLOBAL));
    }

    /** Extends the block to {@code until} unless a later one is already stored. */
    @Transactional
    public void extend(Instant until, String reason) {
        UpstreamThrottle row = em.find(UpstreamThrottle.class, UpstreamThrottle.GLOBAL, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new UpstreamThrottle();
            row.id = UpstreamThrottle.GLOBAL;
            row.blockedUntil = until;
            row.reason = reason;
            em.persist(row);
        } else if (row.blockedUntil.isBefore(until)) {
            row.blockedUntil = until;
            row.reason = reason;
        }
    }
}
