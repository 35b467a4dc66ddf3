package io.vendorusage.agent.outbox;

/** What became of one event of an append. */
public enum AppendOutcome {
    /** Newly stored. */
    ACCEPTED,
    /** Already stored with the same content; stored once. */
    DUPLICATE
}
