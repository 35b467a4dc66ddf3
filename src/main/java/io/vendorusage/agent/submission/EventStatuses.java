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

    /** A stored event, its status and the record that carries it (null while none does). */
    public record Tracked(OutboxEvent event, OutboxStatus status, String submissionId) {
    }

    private final OutboxEventRepository events;
    private final RecordRanges records;
    private final SubmissionRepository submissions;

    public EventStatuses(OutboxEventRepository events, RecordRanges records, SubmissionRepository submissions) {
        this.events = events;
        this.records = records;
        this.submissions = submissions;
    }

    /**
     * @return the event with its status: cancelled once the vendor's app cancelled it, else pending until a record
     *         carries it, then as that record's state says
     */
    @Transactional
    public Optional<Tracked> find(String eventId) {
        return events.findByEventId(eventId).map(e -> {
            if (e.cancelledAt != null) {
                return new Tracked(e, OutboxStatus.CANCELLED, null);
            }
            String record = records.recordOf(e.organizationId, e.appId, e.bucketStart, e.windowSeq).orElse(null);
            OutboxStatus status = record == null ? OutboxStatus.PENDING
                    : submissions.stateOf(record).map(SubmissionState::eventStatus).orElse(OutboxStatus.PENDING);
            return new Tracked(e, status, record);
        });
    }
}
