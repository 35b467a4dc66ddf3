package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The current billing period and what of it is not yet confirmed upstream.
 *
 * @param monthStart the current UTC month, the period assumed for organizations whose own is not known
 * @param closesAt the earliest close among the periods below (the month's end when nothing is unconfirmed)
 * @param postsToSend POSTs still needed: planned records, and at least one per window not yet planned
 * @param drainSeconds how long the upstream rate budget needs for them (with any current hold)
 * @param fitsBeforeClose whether that drain ends before {@code closesAt}
 * @param unconfirmed per organization and app, usage of the current period not yet confirmed
 */
public record PeriodView(Instant now, Instant monthStart, Instant monthEnd, Instant closesAt, double secondsToClose,
        long postsToSend, double drainSeconds, boolean fitsBeforeClose, List<Line> unconfirmed) {

    /**
     * @param periodSource {@code upstream} (the org's billing period, read by reconciliation) or {@code assumed}
     *        (the UTC month)
     * @param events events not yet in a confirmed record
     * @param quantity their sum (sum apps) or peak (high-water-mark apps)
     * @param notYetPlanned of those, events no record carries yet
     * @param records unconfirmed records by state (planned, sending, uncertain, failed)
     */
    public record Line(String organizationId, String appId, String mode, Instant periodStart, Instant periodEnd,
            String periodSource, long events, BigDecimal quantity, long notYetPlanned, Map<String, Long> records) {
    }
}
