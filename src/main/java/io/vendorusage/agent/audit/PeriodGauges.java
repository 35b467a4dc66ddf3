package io.vendorusage.agent.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.submission.BillingMonth;

/**
 * The gauges of the billing-period close, refreshed every {@code agent.outbox.stats-interval} so a scrape never
 * touches the store: how long until the month closes, and how many events of it are overdue (their window closed a
 * while ago and they are still not confirmed). Together they drive {@code VendorUsagePeriodClosingWithBacklog}.
 */
@Startup
@ApplicationScoped
public class PeriodGauges {

    private static final Logger LOG = Logger.getLogger(PeriodGauges.class);

    private final PeriodClose periods;
    private final JobWatch watch;
    private final AtomicLong overdue = new AtomicLong();

    public PeriodGauges(PeriodClose periods, JobWatch watch, MeterRegistry registry, Clock clock) {
        this.periods = periods;
        this.watch = watch;
        // read at scrape time from the clock: no store involved
        Gauge.builder(MetricsConstants.PERIOD_CLOSE, clock,
                c -> Duration.between(c.instant(), BillingMonth.of(c.instant()).end()).toMillis() / 1000.0)
                .description(MetricsConstants.PERIOD_CLOSE_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.PERIOD_OVERDUE_EVENTS, overdue, AtomicLong::get)
                .description(MetricsConstants.PERIOD_OVERDUE_EVENTS_DESCRIPTION).register(registry);
    }

    @Scheduled(identity = "period-stats", every = "${agent.outbox.stats-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try (JobWatch.Run run = watch.start("period-stats")) {
            overdue.set(periods.overdueEvents());
        } catch (RuntimeException e) {
            LOG.debugf("Period gauges not refreshed: %s", e.toString());
        }
    }
}
