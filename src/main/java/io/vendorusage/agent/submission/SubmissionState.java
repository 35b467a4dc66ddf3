package io.vendorusage.agent.submission;

import io.vendorusage.agent.outbox.OutboxStatus;

/**
 * Where a usage record stands.
 *
 * <pre>
 * PLANNED --claim--> SENDING --2xx--> CONFIRMED
 *    ^                  |--safe to resend (429, 503+Retry-After, refused, token)--> PLANNED (backoff)
 *    |                  |--unknown outcome, high-water-mark--> PLANNED (backoff; a repeat is harmless)
 *    |                  |--unknown outcome, sum--> UNCERTAIN (held: reconciliation or an operator decides)
 *    |                  '--other 4xx, attempts exhausted, billing period closed--> FAILED
 *    '------------- operator retry (UNCERTAIN or FAILED) ----------------------------'
 * </pre>
 */
public enum SubmissionState {
    /** Waiting for its next attempt. */
    PLANNED,
    /** Claimed by a sender; if the lease runs out, the POST's outcome is unknown. */
    SENDING,
    /** The upstream accepted it. */
    CONFIRMED,
    /** A sum record whose POST may or may not have been billed: held, never resent blindly. */
    UNCERTAIN,
    /** Refused permanently or given up on; kept with the reason for an operator. */
    FAILED;

    /** States whose events still wait to be billed. */
    public static final java.util.Set<SubmissionState> OPEN = java.util.EnumSet.of(PLANNED, SENDING, UNCERTAIN);

    /** @return the status of an event this record carries */
    public OutboxStatus eventStatus() {
        return switch (this) {
            case CONFIRMED -> OutboxStatus.SUBMITTED;
            case FAILED -> OutboxStatus.FAILED;
            default -> OutboxStatus.PENDING;
        };
    }
}
