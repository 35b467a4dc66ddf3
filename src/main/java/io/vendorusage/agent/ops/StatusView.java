package io.vendorusage.agent.ops;

import java.time.Instant;
import java.util.Map;

/** What {@code GET /v1/status} shows; never a secret. */
public record StatusView(Backlog backlog, Map<String, Long> submissions, Instant lastSuccessfulSubmission,
        Upstream upstream, io.vendorusage.agent.reconciliation.ReconciliationReport.RunView lastReconciliation) {

    public record Backlog(long pendingEvents, double oldestPendingAgeSeconds) {
    }

    /**
     * @param state {@code ok}, {@code rate-limited}, {@code circuit-open} or {@code not-configured}
     * @param longLimit the hold is longer than a normal Retry-After (a daily limit)
     */
    public record Upstream(String state, String apiUrl, boolean sandbox, boolean credentialsConfigured,
            Instant rateLimitedUntil, String rateLimitReason, boolean longLimit, String circuitBreaker) {
    }
}
