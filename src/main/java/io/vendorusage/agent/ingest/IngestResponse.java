package io.vendorusage.agent.ingest;

import java.util.List;

/** The 202 answer: how many events were new, how many were resent, and each event's outcome. */
public record IngestResponse(int accepted, int duplicates, List<EventStatus> events) {

    /** @param status {@code accepted} or {@code duplicate} */
    public record EventStatus(String eventId, String status) {
    }
}
