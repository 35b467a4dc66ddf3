package io.vendorusage.agent.outbox;

import java.util.List;

/** A request reused event ids for events with other content; nothing of the request was stored. */
public final class EventConflict extends RuntimeException {

    private final List<Conflict> conflicts;

    /**
     * One reused id.
     *
     * @param index position of the event in its request
     * @param eventId the id already used for an event with other content
     */
    public record Conflict(int index, String eventId) {
    }

    EventConflict(List<Conflict> conflicts) {
        super("An eventId may only be resent with the same content; nothing was stored.", null, false, false);
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }
}
