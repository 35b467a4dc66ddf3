package io.vendorusage.agent.submission;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.submission.period.OrgPeriod;

/**
 * The planner's decisions, on figures alone (no store): which windows are due, whether the rate budget is short,
 * how far a merged record may reach, what quantity a record carries, and whether a high-water-mark period's peak
 * already covers new values. {@link SubmissionPlanner} reads and writes the store around them.
 */
final class PlanningPolicy {

    /** A bound every window start and arrival time lies before, in the range of both stores' timestamps. */
    static final Instant EVERYTHING = Instant.parse("9999-12-31T00:00:00Z");

    private PlanningPolicy() {
    }

    /**
     * The bounds of due windows at {@code now}: closed and past the grace, and quiet for {@code quiet} or held for
     * {@code maxHold} since they became due (or since their first waiting event, for a window long closed); with
     * {@code flush}, every window.
     */
    static OutboxWindows.Due due(Instant now, boolean flush, Duration bucket, Duration grace, Duration quiet,
            Duration maxHold) {
        if (flush) {
            return new OutboxWindows.Due(EVERYTHING, EVERYTHING, EVERYTHING, EVERYTHING);
        }
        Instant cutoff = now.minus(bucket).minus(grace);
        return new OutboxWindows.Due(cutoff, now.minus(quiet), cutoff.minus(maxHold), now.minus(maxHold));
    }

    /** @return the records the rate budget sends within one window (at least one) */
    static long budgetPerWindow(int ratePerMinute, Duration bucket) {
        return Math.max(1, ratePerMinute * bucket.toSeconds() / 60);
    }

    /**
     * @return why the budget is short, when the planned records and one POST per due window exceed what it sends
     *         within one window
     */
    static Optional<String> shortage(long budget, long planned, long dueWindows) {
        if (planned + dueWindows <= budget) {
            return Optional.empty();
        }
        return Optional.of(planned + " planned records and " + dueWindows + " due windows exceed the " + budget
                + " records the rate budget sends in one window");
    }

    /**
     * @return the last window start a merged record of {@code period} may take in: the due cut-off, but never past
     *         the period (a merged record never crosses the org's billing-period turn)
     */
    static Instant mergeReach(OrgPeriod period, Instant cutoff) {
        Instant last = period.end().minusNanos(1000);
        return cutoff.isBefore(last) ? cutoff : last;
    }

    /** @return what a new record carries: the sum of its events, or their peak for high-water-mark */
    static BigDecimal quantity(AppMode mode, BigDecimal sum, BigDecimal peak) {
        return mode == AppMode.SUM ? sum : peak;
    }

    /** @return a planned record's quantity once more events fold into it */
    static BigDecimal folded(AppMode mode, BigDecimal current, BigDecimal sum, BigDecimal peak) {
        return mode == AppMode.SUM ? current.add(sum) : current.max(peak);
    }

    /**
     * @param periodPeak the highest quantity planned or sent in the org's (known) period, if any
     * @return whether new high-water-mark values up to {@code newPeak} need no POST: the period's peak is at least
     *         as high. Never on an assumed period (the turn may lie anywhere) and never for sum apps.
     */
    static boolean coveredByPeak(AppMode mode, boolean periodKnown, BigDecimal newPeak,
            Optional<BigDecimal> periodPeak) {
        return mode == AppMode.HIGH_WATER_MARK && periodKnown && periodPeak.isPresent()
                && newPeak.compareTo(periodPeak.get()) <= 0;
    }
}
