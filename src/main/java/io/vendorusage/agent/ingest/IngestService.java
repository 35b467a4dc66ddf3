package io.vendorusage.agent.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.vendorusage.agent.outbox.AppendOutcome;
import io.vendorusage.agent.outbox.NewEvent;
import io.vendorusage.agent.outbox.OutboxWriter;
import io.vendorusage.agent.submission.EventCancellation;
import io.vendorusage.agent.submission.EventStatuses;

/** Stores a request's events in the outbox, once, and counts the outcome. */
@ApplicationScoped
public class IngestService {

    private final EventParser parser;
    private final EventStatuses statuses;
    private final OutboxWriter writer;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final EventCancellation cancellation;

    public IngestService(EventParser parser, EventStatuses statuses, OutboxWriter writer, IngestMetrics metrics, Clock clock,
            EventCancellation cancellation) {
        this.cancellation = cancellation;
        this.parser = parser;
        this.statuses = statuses;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Validates the body and queues its events for storing, all or nothing. A body that is not valid is refused
     * at once (thrown); the answer for a valid one comes when the commit holding its events is done.
     *
     * @return the outcome per event, completed once the events are committed, or failed with the outbox's
     *         refusal ({@link io.vendorusage.agent.outbox.EventConflict}, a store failure)
     */
    public CompletableFuture<IngestResponse> ingest(byte[] body, BodyForm form) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return store(parser.parse(body, now, form), now);
    }

    /**
     * Queues validated events for storing, all or nothing.
     *
     * @see #ingest(byte[], BodyForm)
     */
    CompletableFuture<IngestResponse> store(List<NewEvent> events, Instant now) {
        CompletableFuture<IngestResponse> answer = new CompletableFuture<>();
        writer.append(events, now).whenComplete((outcomes, failure) -> {
            // the outbox's own exception, not a CompletionException around it, so it maps to its problem
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(respond(events, outcomes));
            }
        });
        return answer;
    }

    private IngestResponse respond(List<NewEvent> events, List<AppendOutcome> outcomes) {
        List<IngestResponse.EventStatus> statuses = new ArrayList<>(events.size());
        int accepted = 0;
        for (int i = 0; i < events.size(); i++) {
            boolean isNew = outcomes.get(i) == AppendOutcome.ACCEPTED;
            accepted += isNew ? 1 : 0;
            statuses.add(new IngestResponse.EventStatus(events.get(i).eventId(), isNew ? "accepted" : "duplicate"));
        }
        metrics.stored(accepted, events.size() - accepted);
        return new IngestResponse(accepted, events.size() - accepted, statuses);
    }

    /**
     * @return the event, cancelled; empty for an unknown id
     * @throws io.vendorusage.agent.submission.EventNotCancellable once a record carrying it went beyond planned
     */
    public Optional<UsageEventView> cancel(String eventId) {
        return cancellation.cancel(eventId).map(t -> UsageEventView.of(t.event(), t.status(), t.submissionId()));
    }

    public Optional<UsageEventView> find(String eventId) {
        return statuses.find(eventId).map(t -> UsageEventView.of(t.event(), t.status(), t.submissionId()));
    }
}
