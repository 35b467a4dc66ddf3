package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.outbox.OutboxEvent;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxEventRepository.Aggregate;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.outbox.OutboxWindows;

/**
 * Cancels an event the vendor's app reported by mistake, while no record has taken it beyond planned. A planned
 * record that carries it is refigured without it (its sum, or its peak for high-water-mark apps) under the window's
 * lock and the record's planned guard, the same two that fold late events in, so a sender's claim either came first
 * (and the cancel is refused) or waits for it; a record left with no event is dropped.
 */
@ApplicationScoped
public class EventCancellation {

    private static final Logger LOG = Logger.getLogger(EventCancellation.class);

    private final OutboxEventRepository events;
    private final OutboxWindows windows;
    private final RecordRanges records;
    private final SubmissionRepository submissions;
    private final EventStatuses statuses;
    private final SubmissionMetrics metrics;
    private final Clock clock;

    public EventCancellation(OutboxEventRepository events, OutboxWindows windows, RecordRanges records,
            SubmissionRepository submissions, EventStatuses statuses, SubmissionMetrics metrics, Clock clock) {
        this.events = events;
        this.windows = windows;
        this.records = records;
        this.submissions = submissions;
        this.statuses = statuses;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @return the event, cancelled (again the same for an event already cancelled); empty for an unknown id
     * @throws EventNotCancellable when a record carrying the event has gone beyond planned
     */
    @Transactional
    public Optional<EventStatuses.Tracked> cancel(String eventId) {
        Optional<OutboxEvent> found = events.findByEventId(eventId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        OutboxEvent e = found.get();
        if (e.cancelledAt == null) {
            // the planner, ingest's fold and a cancel take the window in turn: what carries the event is settled
            windows.lock(new GroupKey(e.organizationId, e.appId, e.bucketStart));
            events.getEntityManager().refresh(e);
        }
        if (e.cancelledAt != null) {
            return statuses.find(eventId);
        }
        Instant now = clock.instant();
        Optional<String> record = records.recordOf(e.organizationId, e.appId, e.bucketStart, e.windowSeq);
        if (record.isPresent() && !submissions.lockIfPlanned(record.get(), now)) {
            throw new EventNotCancellable(eventId, record.get(),
                    submissions.stateOf(record.get()).orElse(SubmissionState.SENDING));
        }
        events.cancel(e.id, now);
        events.getEntityManager().refresh(e);
        record.ifPresent(id -> refigure(id, eventId));
        metrics.cancelled(e.appId);
        LOG.infof("Event %s cancelled (org=%s app=%s quantity=%s)%s", eventId, e.organizationId, e.appId,
                e.quantity.toPlainString(), record.map(id -> "; planned record " + id + " refigured").orElse(""));
        return statuses.find(eventId);
    }

    /** The planned record's figures without its cancelled events; dropped when none is left. */
    private void refigure(String submissionId, String eventId) {
        Submission s = submissions.findById(submissionId);
        submissions.getEntityManager().refresh(s);
        List<WindowRange> ranges = records.rangesOf(submissionId);
        Aggregate left = events.aggregate(ranges);
        if (left.count() == 0) {
            records.removeAll(submissionId);
            submissions.delete(s);
            LOG.infof("Submission %s dropped before it was sent: event %s was the last one it carried", submissionId,
                    eventId);
            return;
        }
        submissions.refigure(submissionId, s.mode == AppMode.SUM ? left.sum() : left.max(), left.count(),
                left.oldestReceivedAt());
    }
}
