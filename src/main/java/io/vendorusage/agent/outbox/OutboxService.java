package io.vendorusage.agent.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem;
import io.vendorusage.agent.http.Problems;

/** Transactional access to the outbox: appending with idempotency, reading, purging. */
@ApplicationScoped
public class OutboxService {

    private final OutboxEventRepository repository;
    private final AgentConfig config;

    public OutboxService(OutboxEventRepository repository, AgentConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /**
     * Stores the events in one transaction, all or nothing. An event id already stored (or repeated in
     * this batch) with the same content is a duplicate and stored once; with other content the whole
     * batch is refused with a 409 problem and nothing is written.
     *
     * @return the outcome of each event, in order; returns only once the transaction has committed
     */
    @Transactional
    public List<AppendOutcome> append(List<NewEvent> events, Instant receivedAt) {
        Map<String, OutboxEvent> stored = repository
                .findByEventIds(events.stream().map(NewEvent::eventId).distinct().toList())
                .stream().collect(Collectors.toMap(e -> e.eventId, Function.identity()));
        Map<String, NewEvent> inBatch = new HashMap<>();
        List<AppendOutcome> outcomes = new ArrayList<>(events.size());
        List<Problem.FieldError> conflicts = new ArrayList<>();
        List<OutboxEvent> fresh = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            OutboxEvent existing = stored.get(event.eventId());
            NewEvent earlier = inBatch.putIfAbsent(event.eventId(), event);
            boolean same;
            if (existing != null) {
                same = event.sameContentAs(existing);
            } else if (earlier != null) {
                same = event.sameContentAs(earlier);
            } else {
                fresh.add(toEntity(event, receivedAt));
                outcomes.add(AppendOutcome.ACCEPTED);
                continue;
            }
            if (!same) {
                conflicts.add(new Problem.FieldError(i, "eventId",
                        "eventId " + event.eventId() + " was already used for an event with different content"));
            }
            outcomes.add(AppendOutcome.DUPLICATE);
        }
        if (!conflicts.isEmpty()) {
            throw Problems.conflict("An eventId may only be resent with the same content; nothing was stored.",
                    conflicts);
        }
        repository.persist(fresh);
        repository.flush();
        return outcomes;
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

    private OutboxEvent toEntity(NewEvent event, Instant receivedAt) {
        OutboxEvent entity = new OutboxEvent();
        entity.eventId = event.eventId();
        entity.organizationId = event.organizationId();
        entity.appId = event.appId();
        entity.quantity = event.quantity();
        entity.occurredAt = event.occurredAt();
        entity.occurredAtDefaulted = event.occurredAtDefaulted();
        entity.bucketStart = Buckets.startOf(event.occurredAt(), config.submission().bucket());
        entity.receivedAt = receivedAt;
        entity.status = OutboxStatus.PENDING;
        return entity;
    }
}
