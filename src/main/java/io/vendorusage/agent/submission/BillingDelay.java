package io.vendorusage.agent.submission;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.store.StoreValues;

/**
 * The time to bill: from each event's arrival to the confirmation of the record that first bills it, one
 * observation per event, by app mode. Events that one ingest commit stored share their arrival time, so a record's
 * events are read grouped by it. Percentiles cover about the last hour.
 */
@Startup
@ApplicationScoped
public class BillingDelay {

    private final EntityManager em;
    private final Map<AppMode, Timer> timers = new EnumMap<>(AppMode.class);

    public BillingDelay(EntityManager em, MeterRegistry registry, AgentConfig config) {
        this.em = em;
        for (AppMode mode : AppMode.values()) {
            timers.put(mode, Timer.builder(MetricsConstants.BILLING_DELAY)
                    .description(MetricsConstants.BILLING_DELAY_DESCRIPTION)
                    .tag(MetricsConstants.TAG_MODE, wire(mode))
                    .publishPercentileHistogram()
                    .publishPercentiles(0.5, 0.99)
                    .distributionStatisticExpiry(Duration.ofHours(1))
                    .distributionStatisticBufferLength(6)
                    .minimumExpectedValue(Duration.ofSeconds(1))
                    .maximumExpectedValue(Duration.ofDays(7))
                    .register(registry));
        }
        Gauge.builder(MetricsConstants.BILLING_DELAY_OBJECTIVE, config,
                c -> c.submission().billingDelayObjective().toMillis() / 1000.0)
                .description(MetricsConstants.BILLING_DELAY_OBJECTIVE_DESCRIPTION).register(registry);
    }

    /** Observes the delay of every event the record carries; inside the caller's transaction. */
    void confirmed(Submission record, Instant confirmedAt) {
        Timer timer = timers.get(record.mode);
        for (Object o : em.createNativeQuery("SELECT e.received_at AS arrived, COUNT(*) AS n FROM submission_window w"
                + " JOIN outbox_event e ON e.organization_id = w.organization_id AND e.app_id = w.app_id"
                + " AND e.bucket_start = w.bucket_start AND e.window_seq BETWEEN w.first_seq AND w.last_seq"
                + " WHERE w.submission_id = ?1 AND e.cancelled_at IS NULL GROUP BY e.received_at",
                jakarta.persistence.Tuple.class).setParameter(1, record.id).getResultList()) {
            jakarta.persistence.Tuple arrival = (jakarta.persistence.Tuple) o;
            Duration delay = Duration.between(StoreValues.instant(arrival.get("arrived")), confirmedAt);
            Duration observed = delay.isNegative() ? Duration.ZERO : delay;
            for (long n = arrival.get("n", Number.class).longValue(); n > 0; n--) {
                timer.record(observed);
            }
        }
    }

    /** The last hour's median and 99th percentile, in seconds, and the events observed in all, of one mode. */
    public record Figures(double p50Seconds, double p99Seconds, long events) {
    }

    /** @return per mode ({@code sum}, {@code high-water-mark}) */
    public Map<String, Figures> lastHour() {
        Map<String, Figures> figures = new java.util.LinkedHashMap<>();
        timers.forEach((mode, timer) -> {
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
                double seconds = v.value(java.util.concurrent.TimeUnit.SECONDS);
                if (v.percentile() == 0.5) {
                    p50 = seconds;
                } else if (v.percentile() == 0.99) {
                    p99 = seconds;
                }
            }
            figures.put(wire(mode), new Figures(p50, p99, timer.count()));
        });
        return figures;
    }

    private static String wire(AppMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
