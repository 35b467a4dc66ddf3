package io.vendorusage.agent.ops;

import java.time.Instant;
import java.util.Map;

/** What {@code GET /v1/status} shows; never a secret. */
public record StatusView(Backlog backlog, Map<String, Long> submissions, Drain drain, Instant lastSuccessfulSubmission,
        Upstream upstream, io.vendorusage.agent.reconciliation.ReconciliationReport.RunView lastReconciliation) {

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
     * @param state {@code ok}, {@code rate-limited}, {@code circuit-open} or {@code not-configured}
     * @param longLimit the hold is longer than a normal Retry-After (a daily limit)
     */
    public record Upstream(String state, String apiUrl, boolean sandbox, boolean credentialsConfigured,
            Instant rateLimitedUntil, String rateLimitReason, boolean longLimit, String circuitBreaker) {
    }
}
