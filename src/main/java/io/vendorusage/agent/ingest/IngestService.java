package io.vendorusage.agent.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.vendorusage.agent.outbox.AppendOutcome;
import io.vendorusage.agent.outbox.NewEvent;
import io.vendorusage.agent.outbox.OutboxService;

/** Stores a request's events in the outbox, once, and counts the outcome. */
@ApplicationScoped
public class IngestService {

    /** Two requests racing on one new event id: the loser sees a unique-key violation and tries again. */
    private static final int ATTEMPTS = 3;

    private final EventParser parser;
    private final OutboxService outbox;
    private final IngestMetrics metrics;
    private final Clock clock;

    public IngestService(EventParser parser, OutboxService outbox, IngestMetrics metrics, Clock clock) {
        this.parser = parser;
        this.outbox = outbox;
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
        List<AppendOutcome> outcomes = appendWithRetry(events, now);
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
        return outbox.find(eventId).map(UsageEventView::of);
    }

    private List<AppendOutcome> appendWithRetry(List<NewEvent> events, Instant now) {
        for (int attempt = 1;; attempt++) {
            try {
                return outbox.append(events, now);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

}
