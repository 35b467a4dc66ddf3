package io.vendorusage.agent.submission;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.outbox.OutboxEvent;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxStatus;

/** An event's status, read from the record that carries it (never stored per event). */
@ApplicationScoped
public class EventStatuses {

    /** A stored event and its status. */
    public record Tracked(OutboxEvent event, OutboxStatus status) {
    }

    private final OutboxEventRepository events;
    private final SubmissionRepository submissions;

    public EventStatuses(OutboxEventRepository events, SubmissionRepository submissions) {
        this.events = events;
        this.submissions = submissions;
    }

    /** @return the event with its status: pending until a record carries it, then as that record's state says */
    @Transactional
    public Optional<Tracked> find(String eventId) {
        return events.findByEventId(eventId).map(e -> new Tracked(e, e.submissionId == null ? OutboxStatus.PENDING
                : submissions.stateOf(e.submissionId).map(SubmissionState::eventStatus).orElse(OutboxStatus.PENDING)));
    }
}
