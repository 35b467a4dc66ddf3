package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.outbox.OutboxGauges;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.upstream.GuardedCallsBreaker;
import io.vendorusage.agent.upstream.RateLimiter;
import io.vendorusage.agent.upstream.TokenProvider;

/**
 * Ledger, backlog and upstream gauges. Store-backed values are a snapshot refreshed every
 * {@code agent.outbox.stats-interval}, so a scrape never touches the store.
 */
@Startup
@ApplicationScoped
public class LedgerGauges {

    private static final Logger LOG = Logger.getLogger(LedgerGauges.class);

    private final SubmissionRepository submissions;
    private final BacklogQuery backlog;
    private final OutboxGauges outboxGauges;
    private final JobWatch watch;
    private final Map<SubmissionState, AtomicLong> byState = new EnumMap<>(SubmissionState.class);
    private final AtomicLong lastConfirmedEpoch = new AtomicLong();
    private final DrainEstimate drains;
    private final java.util.concurrent.atomic.AtomicReference<DrainEstimate.Drain> drain =
            new java.util.concurrent.atomic.AtomicReference<>();

    public LedgerGauges(SubmissionRepository submissions, BacklogQuery backlog, OutboxGauges outboxGauges,
            JobWatch watch, DrainEstimate drains, MeterRegistry registry, RateLimiter limiter, CircuitBreakerMaintenance breakers,
            TokenProvider tokens, Clock clock) {
        this.submissions = submissions;
        this.backlog = backlog;
        this.outboxGauges = outboxGauges;
        this.watch = watch;
        this.drains = drains;
        Gauge.builder(MetricsConstants.DRAIN_SECONDS, drain, d -> d.get() == null ? 0 : d.get().drainSeconds())
                .description(MetricsConstants.DRAIN_SECONDS_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.RECORDS_DUE, drain, d -> d.get() == null ? 0 : d.get().recordsDue())
                .description(MetricsConstants.RECORDS_DUE_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.OLDEST_DUE_PERIOD_CLOSE, drain,
                d -> d.get() == null ? PeriodCalendar.unknown().periodOf(clock.instant()).end().getEpochSecond()
                        - clock.instant().getEpochSecond() : d.get().secondsToClose(clock.instant()))
                .description(MetricsConstants.OLDEST_DUE_PERIOD_CLOSE_DESCRIPTION).register(registry);
        for (SubmissionState state : SubmissionState.values()) {
            AtomicLong value = new AtomicLong();
            byState.put(state, value);
            Gauge.builder(MetricsConstants.LEDGER_RECORDS, value, AtomicLong::get)
                    .description(MetricsConstants.LEDGER_RECORDS_DESCRIPTION)
                    .tag(MetricsConstants.TAG_STATE, state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder(MetricsConstants.LAST_CONFIRMED, lastConfirmedEpoch, AtomicLong::get)
                .description(MetricsConstants.LAST_CONFIRMED_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.CIRCUIT_OPEN, breakers,
                b -> b.currentState(GuardedCallsBreaker.NAME) == CircuitBreakerState.CLOSED ? 0 : 1)
                .description(MetricsConstants.CIRCUIT_OPEN_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.UPSTREAM_CALLS_LAST_HOUR, limiter, RateLimiter::callsLastHour)
                .description(MetricsConstants.UPSTREAM_CALLS_LAST_HOUR_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.UPSTREAM_BUDGET_PER_HOUR, limiter, RateLimiter::budgetPerHour)
                .description(MetricsConstants.UPSTREAM_BUDGET_PER_HOUR_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.CREDENTIALS_REJECTED, tokens, t -> t.credentialsRejected().isPresent() ? 1 : 0)
                .description(MetricsConstants.CREDENTIALS_REJECTED_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.UPSTREAM_BLOCKED_SECONDS, limiter,
                l -> l.blockedUntil().map(u -> Math.max(0, Duration.between(clock.instant(), u).toMillis() / 1000.0))
                        .orElse(0.0))
                .description(MetricsConstants.UPSTREAM_BLOCKED_SECONDS_DESCRIPTION).register(registry);
    }

    @Scheduled(identity = "ledger-stats", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.outbox.stats-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try (JobWatch.Run run = watch.start("ledger-stats")) {
            QuarkusTransaction.requiringNew().run(() -> {
                submissions.countByState().forEach((state, count) -> byState.get(state).set(count));
                lastConfirmedEpoch.set(submissions.lastConfirmedAt().map(Instant::getEpochSecond).orElse(0L));
            });
            outboxGauges.update(backlog.current());
            drain.set(drains.current());
        } catch (RuntimeException e) {
            LOG.debugf("Ledger gauges not refreshed: %s", e.toString());
        }
    }
}
