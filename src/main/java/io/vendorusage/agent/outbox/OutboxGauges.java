package io.vendorusage.agent.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vendorusage.agent.observability.MetricsConstants;

/**
 * The backlog gauges: events not yet confirmed or failed. They read a snapshot the ledger's stats job
 * refreshes, so a scrape never touches the store and still answers while the store is down.
 */
@Startup
@ApplicationScoped
public class OutboxGauges {

    private final Clock clock;
    private final AtomicReference<OutboxEventRepository.Backlog> latest = new AtomicReference<>(
            OutboxEventRepository.Backlog.EMPTY);

    public OutboxGauges(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Gauge.builder(MetricsConstants.OUTBOX_PENDING, latest, b -> b.get().pending())
                .description(MetricsConstants.OUTBOX_PENDING_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.OUTBOX_OLDEST_PENDING_AGE, this, OutboxGauges::oldestPendingAgeSeconds)
                .description(MetricsConstants.OUTBOX_OLDEST_PENDING_AGE_DESCRIPTION).register(registry);
    }

    /** Publishes a new backlog snapshot. */
    public void update(OutboxEventRepository.Backlog backlog) {
        latest.set(backlog);
    }

    /** @return the latest backlog snapshot */
    public OutboxEventRepository.Backlog backlog() {
        return latest.get();
    }

    /** @return seconds since the oldest pending event was received, 0 when nothing is pending */
    public double oldestPendingAgeSeconds() {
        OutboxEventRepository.Backlog backlog = latest.get();
        if (backlog.oldestReceivedAt() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(backlog.oldestReceivedAt(), clock.instant()).toMillis() / 1000.0);
    }
}
