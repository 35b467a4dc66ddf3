package io.vendorusage.agent.submission;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a submitter pass stopped sending; {@link #wire()} is its name in the flush answer and the logs. */
public enum StopReason {
    /** No planned record is due. */
    NOTHING_DUE("nothing-due", "nothing due"),
    /** Every due record is held by another sender. */
    NO_RECORD_CLAIMED("no-record-claimed", "no record could be claimed"),
    /** The pass's thread was interrupted (shutdown). */
    INTERRUPTED("interrupted", "interrupted"),
    /** Upstream calls are held (429, Retry-After, a spent window). */
    RATE_LIMITED("rate-limited", "upstream calls held"),
    /** The upstream circuit breaker is open. */
    CIRCUIT_OPEN("circuit-open", "circuit breaker open"),
    /** The pass used its time; the next one goes on. */
    TIME_USED_UP("time-used-up", "pass time used up"),
    /** No upstream credentials are configured: records are planned, none is sent. */
    NO_CREDENTIALS("no-credentials", "no upstream credentials configured");

    private final String wire;
    private final String text;

    StopReason(String wire, String text) {
        this.wire = wire;
        this.text = text;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** @return the human reading, with the detail (such as until when calls are held) if any */
    public String describe(String detail) {
        return detail == null ? text : text + " " + detail;
    }
}
