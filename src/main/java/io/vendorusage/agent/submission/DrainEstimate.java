package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.submission.SubmissionRepository.PlannedOfOrg;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.upstream.RateLimiter;

/**
 * How long the upstream budget needs to send what is planned: every planned record is one POST, spaced at
 * {@code agent.genesys.rate-limit-per-minute}, after any hold (Retry-After) has passed. Compared with the soonest
 * close among the orgs' billing periods holding planned records, it says whether the backlog can still be billed in
 * its period.
 */
@ApplicationScoped
public class DrainEstimate {

    /**
     * @param recordsDue planned records, each one POST
     * @param drainSeconds seconds the rate budget needs to send them all
     * @param oldestDuePeriodCloses the soonest close among the billing periods (each org's own) holding the oldest
     *        planned record of each org; the UTC month's close when nothing is planned
     * @param fitsBeforeClose the drain ends before that close
     */
    public record Drain(long recordsDue, double drainSeconds, Instant oldestDuePeriodCloses, boolean fitsBeforeClose) {

        /** @return seconds from {@code now} until {@link #oldestDuePeriodCloses} (negative once it has passed) */
        public double secondsToClose(Instant now) {
            return Duration.between(now, oldestDuePeriodCloses).toMillis() / 1000.0;
        }
    }

    private final SubmissionRepository submissions;
    private final BillingPeriods periods;
    private final RateLimiter limiter;
    private final AgentConfig config;
    private final Clock clock;

    public DrainEstimate(SubmissionRepository submissions, BillingPeriods periods, RateLimiter limiter,
            AgentConfig config, Clock clock) {
        this.submissions = submissions;
        this.periods = periods;
        this.limiter = limiter;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public Drain current() {
        Instant now = clock.instant();
        List<PlannedOfOrg> planned = submissions.plannedByOrg();
        long due = planned.stream().mapToLong(PlannedOfOrg::records).sum();
        double held = limiter.blockedUntil().map(u -> Math.max(0, Duration.between(now, u).toMillis() / 1000.0))
                .orElse(0.0);
        double seconds = due == 0 ? 0 : held + due * 60.0 / config.genesys().rateLimitPerMinute();
        Map<String, PeriodCalendar> calendars = periods.calendars(planned.stream()
                .map(PlannedOfOrg::organizationId).toList());
        Instant close = planned.stream()
                .map(p -> calendars.getOrDefault(p.organizationId(), PeriodCalendar.unknown())
                        .periodOf(p.oldestWindow()).end())
                .min(Instant::compareTo).orElseGet(() -> PeriodCalendar.unknown().periodOf(now).end());
        return new Drain(due, seconds, close, now.plusMillis((long) (seconds * 1000)).isBefore(close));
    }
}
