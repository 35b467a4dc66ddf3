package io.vendorusage.agent.audit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One organization's billing period as the agent saw it.
 *
 * @param period what was asked: {@code current}, {@code previous}, a date or a UTC month
 * @param from the period's first instant (UTC)
 * @param to the period's end (exclusive)
 * @param periodSource {@code upstream} (the org's period as Genesys named it), {@code assumed} (not confirmed yet)
 *        or {@code calendar} (a calendar month was asked)
 */
public record AuditView(String organizationId, String period, Instant from, Instant to, String periodSource,
        List<App> apps) {

    /**
     * @param events by status ({@code pending}, {@code submitted}, {@code failed}): how many, and their sum (sum
     *        apps) or peak (high-water-mark apps)
     * @param confirmed what the confirmed records add up to (or peak at): what the agent billed
     * @param upstream the latest reconciliation's line for this app and period, null if none covers it
     */
    public record App(String appId, String mode, Map<String, Tally> events, BigDecimal confirmed, List<Record> records,
            Upstream upstream) {
    }

    public record Tally(long count, BigDecimal quantity) {
    }

    /**
     * A usage record of the month.
     *
     * @param windowStart start of the aggregation window it bills
     * @param windows the ranges of event ordinals it carries, per window
     * @param confirmation the upstream's confirmation of the POST, once confirmed
     * @param correlationId the upstream's correlation id of the last answer
     */
    public record Record(String id, Instant windowStart, List<Window> windows, int revision, BigDecimal quantity,
            long eventCount, String state, int attempts, String confirmation, String upstreamId, String correlationId,
            Instant confirmedAt, String lastOutcome) {
    }

    /** Events {@code firstSeq..lastSeq} (their ordinals in the window, in commit order) of one window. */
    public record Window(Instant windowStart, long firstSeq, long lastSeq) {
    }

    /**
     * @param upstreamQuantity what Genesys bills for the org, app and period; null when the org is not in its listing
     * @param status the reconciliation verdict (match, drift, lagging...)
     */
    public record Upstream(String runId, Instant checkedAt, String region, Instant periodStart, Instant periodEnd,
            String periodSource, BigDecimal upstreamQuantity, BigDecimal agentConfirmed, String status, String note) {
    }
}
