package io.vendorusage.agent.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.reconciliation.ReconciliationQueries;
import io.vendorusage.agent.submission.BacklogQuery;
import io.vendorusage.agent.submission.BillingDelay;
import io.vendorusage.agent.submission.DrainEstimate;
import io.vendorusage.agent.submission.SubmissionRepository;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.PeriodSource;
import io.vendorusage.agent.upstream.GenesysAccess;
import io.vendorusage.agent.upstream.GuardedCallsBreaker;
import io.vendorusage.agent.upstream.RateLimiter;
import io.vendorusage.agent.upstream.TokenProvider;
import io.vendorusage.agent.upstream.UpstreamException;

/** Assembles the operator's view of the agent from the store and the upstream guards. */
@ApplicationScoped
public class StatusService {

    private final BacklogQuery backlogs;
    private final DrainEstimate drains;
    private final SubmissionRepository submissions;
    private final RateLimiter limiter;
    private final CircuitBreakerMaintenance breakers;
    private final GenesysAccess endpoints;
    private final Clock clock;
    private final ReconciliationQueries reconciliation;
    private final BillingPeriods periods;
    private final TokenProvider tokens;
    private final BillingDelay delays;
    private final io.vendorusage.agent.notify.Notifications notifications;

    public StatusService(BacklogQuery backlogs, DrainEstimate drains, SubmissionRepository submissions, RateLimiter limiter,
            CircuitBreakerMaintenance breakers, GenesysAccess endpoints, Clock clock,
            ReconciliationQueries reconciliation, BillingPeriods periods, TokenProvider tokens, BillingDelay delays,
            io.vendorusage.agent.notify.Notifications notifications) {
        this.delays = delays;
        this.notifications = notifications;
        this.reconciliation = reconciliation;
        this.tokens = tokens;
        this.periods = periods;
        this.backlogs = backlogs;
        this.drains = drains;
        this.submissions = submissions;
        this.limiter = limiter;
        this.breakers = breakers;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    @Transactional
    public StatusView status() {
        Instant now = clock.instant();
        OutboxEventRepository.Backlog backlog = backlogs.current();
        double age = backlog.oldestReceivedAt() == null ? 0
                : Math.max(0, Duration.between(backlog.oldestReceivedAt(), now).toMillis() / 1000.0);
        Map<String, Long> byState = new LinkedHashMap<>();
        submissions.countByState().forEach((s, n) -> byState.put(s.name().toLowerCase(Locale.ROOT), n));
        DrainEstimate.Drain d = drains.current();
        return new StatusView(new StatusView.Backlog(backlog.pending(), age), byState,
                new StatusView.Drain(d.recordsDue(), d.drainSeconds(), d.oldestDuePeriodCloses(), d.fitsBeforeClose()),
                submissions.lastConfirmedAt().orElse(null), upstream(now),
                reconciliation.latestSummary().orElse(null), billingPeriods(), billingDelay(), notifications.status());
    }

    private Map<String, StatusView.BillingDelay> billingDelay() {
        Map<String, StatusView.BillingDelay> byMode = new LinkedHashMap<>();
        delays.lastHour().forEach((mode, f) -> byMode.put(mode,
                new StatusView.BillingDelay(f.p50Seconds(), f.p99Seconds(), f.events())));
        return byMode;
    }

    private StatusView.BillingPeriods billingPeriods() {
        BillingPeriods.Summary s = periods.summary();
        return new StatusView.BillingPeriods(s.organizationsKnown(), s.organizationsFailing(),
                submissions.count("periodSource", PeriodSource.ASSUMED), s.lastError());
    }

    private StatusView.Upstream upstream(Instant now) {
        Optional<Instant> held = limiter.blockedUntil();
        CircuitBreakerState breaker = breakers.currentState(GuardedCallsBreaker.NAME);
        Optional<UpstreamException.CredentialsRejected> rejected = tokens.credentialsRejected();
        String state;
        if (endpoints.credentials().isEmpty()) {
            state = "not-configured";
        } else if (rejected.isPresent()) {
            state = "credentials-rejected";
        } else if (held.isPresent()) {
            state = "rate-limited";
        } else if (breaker != CircuitBreakerState.CLOSED) {
            state = "circuit-open";
        } else {
            state = "ok";
        }
        boolean longLimit = held.map(u -> Duration.between(now, u).compareTo(RateLimiter.LONG_LIMIT) > 0)
                .orElse(false);
        return new StatusView.Upstream(state, endpoints.apiUrl().toString(), endpoints.sandbox(),
                endpoints.credentials().isPresent(), held.orElse(null), held.map(u -> limiter.blockReason())
                        .orElse(null),
                longLimit, breaker.name().toLowerCase(Locale.ROOT),
                rejected.map(UpstreamException::errorCode).orElse(null), tokens.rejectedUntil().orElse(null));
    }
}
