package io.vendorusage.agent.outbox;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Transactional access to the outbox: reading, backlog, purging. Appending is {@link OutboxWriter}'s. */
@ApplicationScoped
public class OutboxService {

    private final OutboxEventRepository repository;

    public OutboxService(OutboxEventRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public Optional<OutboxEvent> find(String eventId) {
        return repository.findByEventId(eventId);
    }

    @Transactional
    public OutboxEventRepository.Backlog backlog() {
        return repository.backlog();
    }

    /** A cheap query on the events table, for readiness: throws when the store cannot answer. */
    @Transactional
    public void probe() {
        repository.count("id", -1L);
    }

    /** Deletes one batch of submitted events older than {@code cutoff}; returns how many. */
    @Transactional
    public int purgeSubmittedBefore(Instant cutoff, int batchSize) {
        return repository.deleteSubmittedBefore(cutoff, batchSize);
    }
}
