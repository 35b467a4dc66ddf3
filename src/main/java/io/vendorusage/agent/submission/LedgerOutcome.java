package io.vendorusage.agent.submission;

/**
 * Outcomes the ledger itself decides (as opposed to how an upstream call ended), kept in a record's
 * {@code lastOutcome} under {@link #wire()}.
 */
public enum LedgerOutcome {
    /** The upstream confirmed the record. */
    CONFIRMED("confirmed"),
    /** Attempts ran out ({@code agent.submission.max-attempts}). */
    GAVE_UP("gave-up"),
    /** An operator released a failed or uncertain record to be sent again. */
    OPERATOR_RETRY("operator-retry"),
    /** Reconciliation found the upstream billed an uncertain record. */
    SETTLED_BILLED("settled-billed"),
    /** Reconciliation found the upstream never billed an uncertain record: it is sent again. */
    SETTLED_NOT_BILLED("settled-not-billed"),
    /** The org's billing period closed more than the grace ago: the record can no longer be sent. */
    BILLING_PERIOD_CLOSED("billing-period-closed");

    private final String wire;

    LedgerOutcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
