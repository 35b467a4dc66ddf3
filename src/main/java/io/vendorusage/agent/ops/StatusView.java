package io.vendorusage.agent.ops;

import java.time.Instant;
import java.util.Map;

/** What {@code GET /v1/status} shows; never a secret. */
public record StatusView(Backlog backlog, Map<String, Long> submissions, Drain drain, Instant lastSuccessfulSubmission,
        Upstream upstream, io.vendorusage.agent.reconciliation.ReconciliationReport.RunView lastReconciliation,
        BillingPeriods billingPeriods, Map<String, BillingDelay> billingDelay,
        io.vendorusage.agent.notify.Notifications.Status notifications) {

    /**
     * The time to bill of one app mode: from an event's arrival to the confirmation of the record that first bills
     * it, over about the last hour.
     *
     * @param events events observed since the agent started
     */
    public record BillingDelay(double p50Seconds, double p99Seconds, long events) {
    }

    /**
     * What the agent knows of its customers' billing periods.
     *
     * @param organizationsKnown orgs with a period named by the org detail
     * @param organizationsAssumed orgs whose last detail request failed: their current period is assumed until a
     *        retry succeeds
     * @param recordsOnAssumedPeriod records planned while their org's period was not confirmed (no high-water-mark
     *        peak, merging or period close relied on it)
     * @param lastError the newest failure of a detail request, if any org's last one failed
     */
    public record BillingPeriods(long organizationsKnown, long organizationsAssumed, long recordsOnAssumedPeriod,
            String lastError) {
    }

    public record Backlog(long pendingEvents, double oldestPendingAgeSeconds) {
    }

    /**
     * @param recordsDue planned records, one POST each
     * @param drainSeconds how long the upstream rate budget needs to send them
     * @param oldestDuePeriodCloses when the billing period of the oldest planned record closes
     * @param fitsBeforeClose the drain ends before that close
     */
    public record Drain(long recordsDue, double drainSeconds, Instant oldestDuePeriodCloses, boolean fitsBeforeClose) {
    }

    /**
     * @param state {@code ok}, {@code credentials-rejected}, {@code rate-limited}, {@code circuit-open} or
     *        {@code not-configured}
     * @param longLimit the hold is longer than a normal Retry-After (a daily limit)
     * @param credentialsRejected the login service's code when it rejected the client credentials
     *        ({@code bad.credentials}, {@code credentials.expired}, {@code ip.not.authorized}), else null
     * @param credentialsRetryAt when the token is asked for again after that rejection
     */
    public record Upstream(String state, String apiUrl, boolean sandbox, boolean credentialsConfigured,
            Instant rateLimitedUntil, String rateLimitReason, boolean longLimit, String circuitBreaker,
            String credentialsRejected, Instant credentialsRetryAt) {
    }
}
