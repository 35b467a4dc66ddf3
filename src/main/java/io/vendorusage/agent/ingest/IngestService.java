package io.vendorusage.agent.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.vendorusage.agent.outbox.AppendOutcome;
import io.vendorusage.agent.outbox.NewEvent;

import io.vendorusage.agent.outbox.OutboxWriter;
import io.vendorusage.agent.submission.EventStatuses;

/** Stores a request's events in the outbox, once, and counts the outcome. */
@ApplicationScoped
public class IngestService {

    private final EventParser parser;
    private final EventStatuses statuses;
    private final OutboxWriter writer;
    private final IngestMetrics metrics;
    private final Clock clock;

    public IngestService(EventParser parser, EventStatuses statuses, OutboxWriter writer, IngestMetrics metrics, Clock clock) {
        this.parser = parser;
        this.statuses = statuses;
        this.writer = writer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Validates the body and stores its events, all or nothing.
     *
     * @return the outcome per event, once the events are committed
     */
    public IngestResponse ingest(byte[] body) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<NewEvent> events = parser.parse(body, now);
        List<AppendOutcome> outcomes = writer.append(events, now);
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

    public Optional<UsageEventView> find(String eventId) {
        return statuses.find(eventId).map(t -> UsageEventView.of(t.event(), t.status(), t.submissionId()));
    }
}
