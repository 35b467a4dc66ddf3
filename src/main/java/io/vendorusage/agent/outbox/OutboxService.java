package io.vendorusage.agent.outbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Store probes on the outbox, for readiness. Appending is {@link OutboxWriter}'s. */
@ApplicationScoped
public class OutboxService {

    private final OutboxEventRepository repository;

    public OutboxService(OutboxEventRepository repository) {
        this.repository = repository;
    }

    /** A cheap query on the events table, for readiness: throws when the store cannot answer. */
    @Transactional
    public void probe() {
        repository.count("id", -1L);
    }

    /**
     * A real write (one row rewritten and committed), for readiness after an ingest commit failed: a store
     * that is full or read-only still answers reads. Throws when the store cannot take it.
     */
    @Transactional
    public void probeWrite(Instant now) {
        repository.getEntityManager().createNativeQuery("UPDATE store_probe SET checked_at = ?1 WHERE id = 1")
                .setParameter(1, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)).executeUpdate();
    }
}
