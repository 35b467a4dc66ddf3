package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.vendorusage.agent.config.AppMode;

/**
 * Judges one report line from both sides' figures, without the store or the upstream: a pure function, so every
 * rule is tested on its own. A line with uncertain sum records that the figures can settle comes out as
 * {@link Verdict#settle()}; the settlement's outcome then gives the line its status ({@link #afterSettlement}).
 */
final class RowClassifier {

    private final Duration upstreamLag;

    RowClassifier(Duration upstreamLag) {
        this.upstreamLag = upstreamLag;
    }

    /** A line's status and note; {@code settle} when settling its uncertain records comes first. */
    record Verdict(RowStatus status, String note, boolean settle) {

        static Verdict of(RowStatus status, String note) {
            return new Verdict(status, note, false);
        }
    }

    /**
     * @param upstream the upstream's figure, null when it said nothing about the org
     * @param f the agent's figures over the line's billing period
     * @param lagCutoff confirmations and uncertain outcomes before this instant should show upstream by now
     */
    Verdict classify(BigDecimal upstream, Figures f, Instant lagCutoff) {
        boolean agentHasNothing = f.confirmed().signum() == 0 && f.uncertain().signum() == 0
                && f.pending().signum() == 0;
        if (agentHasNothing) {
            return upstream != null && upstream.signum() != 0
                    ? Verdict.of(RowStatus.UNKNOWN_ORG, "usage the agent never sent for (informational)")
                    : Verdict.of(RowStatus.MATCH, null);
        }
        if (f.uncertain().signum() > 0) {
            return uncertain(upstream, f, lagCutoff);
        }
        if (upstream != null && upstream.compareTo(f.confirmed()) == 0) {
            return Verdict.of(RowStatus.MATCH, null);
        }
        if (explainedByLag(upstream, f)) {
            return Verdict.of(RowStatus.UPSTREAM_LAGGING, "records confirmed in the last " + upstreamLag
                    + " explain it");
        }
        return Verdict.of(RowStatus.DRIFT, upstream == null ? "the upstream does not list this org"
                : "upstream differs by " + upstream.subtract(f.confirmed()).stripTrailingZeros().toPlainString());
    }

    /** A line whose uncertain records changed between the figures of the run and its settling. */
    static Verdict snapshotMoved() {
        return Verdict.of(RowStatus.UNCERTAIN_PENDING,
                "uncertain records changed while this run read the figures: settled on a later run");
    }

    /** The line after settling: held records leave a drift; confirmed ones explain the figure; resent ones travel. */
    static Verdict afterSettlement(SettlementOutcome outcome) {
        String note = "uncertain settled: " + outcome.describe();
        if (outcome.held()) {
            return Verdict.of(RowStatus.DRIFT, note);
        }
        return Verdict.of(outcome.resent() == 0 ? RowStatus.MATCH : RowStatus.UNCERTAIN_PENDING, note);
    }

    private static Verdict uncertain(BigDecimal upstream, Figures f, Instant lagCutoff) {
        if (f.mode() != AppMode.SUM) {
            return Verdict.of(RowStatus.UNCERTAIN_PENDING, "uncertain high-water-mark records are resent by the"
                    + " submitter");
        }
        if (upstream == null) {
            return Verdict.of(RowStatus.UNCERTAIN_PENDING, "the upstream figure of this org is unknown (not listed,"
                    + " detail unavailable)");
        }
        if (f.lastUncertainAt() != null && f.lastUncertainAt().isAfter(lagCutoff)) {
            return Verdict.of(RowStatus.UNCERTAIN_PENDING, "waiting for the upstream lag to pass since the last record"
                    + " became uncertain");
        }
        if (f.recent().signum() != 0 || f.sending() > 0) {
            return Verdict.of(RowStatus.UNCERTAIN_PENDING, "recent confirmations or sends in flight: the upstream"
                    + " figure may not be final");
        }
        return new Verdict(RowStatus.UNCERTAIN_PENDING, null, true);
    }

    private static boolean explainedByLag(BigDecimal up, Figures f) {
        BigDecimal upstream = up == null ? BigDecimal.ZERO : up;
        return upstream.compareTo(f.confirmedBeforeLag()) >= 0 && upstream.compareTo(f.confirmed()) <= 0
                && f.confirmed().compareTo(f.confirmedBeforeLag()) != 0;
    }
}
