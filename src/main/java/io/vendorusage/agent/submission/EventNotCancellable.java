package io.vendorusage.agent.submission;

import java.util.Locale;

/** The event's record has gone beyond planned (being sent, sent, uncertain, confirmed or failed); nothing changed. */
public final class EventNotCancellable extends RuntimeException {

    private final String submissionId;

    EventNotCancellable(String eventId, String submissionId, SubmissionState state) {
        super("Event " + eventId + " is carried by submission " + submissionId + ", which is "
                + state.name().toLowerCase(Locale.ROOT) + ": only an event no record has taken beyond planned can be"
                + " cancelled.", null, false, false);
        this.submissionId = submissionId;
    }

    public String submissionId() {
        return submissionId;
    }
}
