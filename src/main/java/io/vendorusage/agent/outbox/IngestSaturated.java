package io.vendorusage.agent.outbox;

/** The outbox cannot take a request now (its queue is full, or the agent is stopping); nothing was stored. */
public final class IngestSaturated extends RuntimeException {

    private final int retryAfterSeconds;

    IngestSaturated(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return seconds after which the caller should try again */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
