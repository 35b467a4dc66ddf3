package io.vendorusage.agent.outbox;

/** Where an event stands, as the state of the record that carries it says (never stored per event). */
public enum OutboxStatus {
    /** Not yet in a record, or in one that is planned, being sent or held as uncertain. */
    PENDING,
    /** Carried by a submission the upstream confirmed. */
    SUBMITTED,
    /** Its submission failed permanently and waits for an operator. */
    FAILED,
    /** Cancelled by the vendor's app before it was sent: never billed. */
    CANCELLED
}
