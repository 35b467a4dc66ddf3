package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The billing periods about to close (each org's own) and what of them is not yet confirmed upstream.
 *
 * @param monthStart the current UTC month, the period assumed for organizations whose own is not known
 * @param closesAt the soonest close among the open periods below (the month's end when nothing is unconfirmed)
 * @param postsToSend POSTs still needed: planned records, and at least one per window not yet planned
 * @param drainSeconds how long the upstream rate budget needs for them (with any current hold)
 * @param fitsBeforeClose whether that drain ends before {@code closesAt}
 * @param lines how many (org, app, period) lines hold unconfirmed usage; the first {@value PeriodClose#MAX_LINES}
 *        are listed
 * @param unconfirmed per organization, app and billing period, usage not yet confirmed, soonest close first; periods
 *        closed less than {@code agent.submission.closed-period-grace} ago are listed too
 */
public record PeriodView(Instant now, Instant monthStart, Instant monthEnd, Instant closesAt, double secondsToClose,
        long postsToSend, double drainSeconds, boolean fitsBeforeClose, int lines, List<Line> unconfirmed) {

    /**
     * @param periodSource {@code upstream} (the org's billing period as Genesys named it) or {@code assumed} (not
     *        confirmed yet: the UTC month, or the anchor's next period)
     * @param secondsToClose until {@code periodEnd} (negative once it has passed)
     * @param events events not yet in a confirmed record
     * @param quantity their sum (sum apps) or peak (high-water-mark apps)
     * @param notYetPlanned of those, events no record carries yet
     * @param records unconfirmed records by state (planned, sending, uncertain, failed)
     */
    public record Line(String organizationId, String appId, String mode, Instant periodStart, Instant periodEnd,
            String periodSource, double secondsToClose, long events, BigDecimal quantity, long notYetPlanned,
            Map<String, Long> records) {
    }
}
