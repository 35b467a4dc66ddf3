package io.vendorusage.agent.outbox;

/** Where an event stands; the submission pipeline moves it from {@code PENDING} on. */
public enum OutboxStatus {
    /** Stored, not yet carried by a confirmed submission. */
    PENDING,
    /** Carried by a submission the upstream confirmed. */
    SUBMITTED,
    /** Its submission failed permanently and waits for an operator. */
    FAILED
}
