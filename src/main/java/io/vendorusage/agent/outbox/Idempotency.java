package io.vendorusage.agent.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency rule of ingest, as a pure function: a request's outcome as if it ran alone after the requests
 * before it in its group. An event id stored or taken earlier with the same content is a duplicate; with other
 * content the whole request is refused; anything else is a new row.
 */
final class Idempotency {

    private final Duration bucket;
    /** Events stored before this group, by event id. */
    private final Map<String, OutboxEvent> stored;
    /** Events taken by earlier requests of this group, by event id. */
    private final Map<String, NewEvent> taken = new HashMap<>();

    Idempotency(Duration bucket, Map<String, OutboxEvent> stored) {
        this.bucket = bucket;
        this.stored = stored;
    }

    /** One request's outcome: its outcomes and new rows, or the conflicts that refuse it whole. */
    record Decision(List<AppendOutcome> outcomes, List<EventRows.Row> rows, List<EventConflict.Conflict> conflicts) {

        boolean refused() {
            return !conflicts.isEmpty();
        }
    }

    /** Decides one request; when it is not refused, its new events count as taken for the requests after it. */
    Decision decide(List<NewEvent> events, Instant receivedAt) {
        Map<String, NewEvent> inRequest = new HashMap<>();
        List<AppendOutcome> outcomes = new ArrayList<>(events.size());
        List<EventRows.Row> fresh = new ArrayList<>();
        List<EventConflict.Conflict> conflicts = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            OutboxEvent existing = stored.get(event.eventId());
            NewEvent earlier = taken.get(event.eventId());
            if (earlier == null) {
                earlier = inRequest.get(event.eventId());
            }
            if (existing == null && earlier == null) {
                inRequest.put(event.eventId(), event);
                fresh.add(new EventRows.Row(event, Buckets.startOf(event.occurredAt(), bucket), receivedAt));
                outcomes.add(AppendOutcome.ACCEPTED);
                continue;
            }
            boolean same = existing != null ? event.sameContentAs(existing) : event.sameContentAs(earlier);
            if (!same) {
                conflicts.add(new EventConflict.Conflict(i, event.eventId()));
            }
            outcomes.add(AppendOutcome.DUPLICATE);
        }
        if (!conflicts.isEmpty()) {
            return new Decision(List.of(), List.of(), conflicts);
        }
        fresh.forEach(r -> taken.put(r.event().eventId(), r.event()));
        return new Decision(outcomes, fresh, List.of());
    }
}
