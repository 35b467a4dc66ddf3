package io.vendorusage.agent.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.submission.period.PeriodCalendar;

/**
 * The gauges of the billing-period close, refreshed every {@code agent.outbox.stats-interval} so a scrape never
 * touches the store: the overdue events (their window closed a while ago and they are still not confirmed) of the
 * soonest-closing org billing period that holds any, and how long until that period closes. Together they drive
 * {@code VendorUsagePeriodClosingWithBacklog}.
 */
@Startup
@ApplicationScoped
public class PeriodGauges {

    private static final Logger LOG = Logger.getLogger(PeriodGauges.class);

    private final PeriodClose periods;
    private final JobWatch watch;
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicReference<Instant> closesAt = new AtomicReference<>();

    public PeriodGauges(PeriodClose periods, JobWatch watch, MeterRegistry registry, Clock clock) {
        this.periods = periods;
        this.watch = watch;
        // the close comes from the last refresh, the seconds to it from the clock at scrape time
        Gauge.builder(MetricsConstants.PERIOD_CLOSE, clock,
                c -> Duration.between(c.instant(), closesAt.get() != null ? closesAt.get()
                        : PeriodCalendar.unknown().periodOf(c.instant()).end()).toMillis() / 1000.0)
                .description(MetricsConstants.PERIOD_CLOSE_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.PERIOD_OVERDUE_EVENTS, overdue, AtomicLong::get)
                .description(MetricsConstants.PERIOD_OVERDUE_EVENTS_DESCRIPTION).register(registry);
    }

    @Scheduled(identity = "period-stats", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.outbox.stats-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try (JobWatch.Run run = watch.start("period-stats")) {
            PeriodClose.Overdue o = periods.overdue();
            overdue.set(o.events());
            closesAt.set(o.closesAt());
        } catch (RuntimeException e) {
            LOG.debugf("Period gauges not refreshed: %s", e.toString());
        }
    }
}
