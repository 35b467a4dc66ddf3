package io.vendorusage.agent.reconciliation;

/**
 * What settling one (org, app, period) did: held every uncertain record, or found which were billed
 * (confirmed) and which were not (resent).
 */
record SettlementOutcome(boolean held, int confirmed, int resent) {

    static SettlementOutcome heldAll() {
        return new SettlementOutcome(true, 0, 0);
    }

    static SettlementOutcome settled(int confirmed, int resent) {
        return new SettlementOutcome(false, confirmed, resent);
    }

    /** @return the note of the report line */
    String describe() {
        return held ? "held" : confirmed + " confirmed, " + resent + " resent";
    }
}
