package io.vendorusage.agent.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vendorusage.agent.observability.MetricsConstants;

/**
 * Delivery outcomes by type, and the pending backlog (refreshed after each delivery pass). Created at start-up,
 * so the gauges are exported (at 0) even while notifications are off.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class NotificationMetrics {

    private final MeterRegistry registry;
    private final NotificationStore store;
    private final Clock clock;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    public NotificationMetrics(MeterRegistry registry, NotificationStore store, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        Gauge.builder(MetricsConstants.NOTIFICATIONS_PENDING, pending, AtomicLong::get)
                .description(MetricsConstants.NOTIFICATIONS_PENDING_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.NOTIFICATIONS_OLDEST_PENDING_AGE, oldestAgeSeconds, AtomicLong::get)
                .description(MetricsConstants.NOTIFICATIONS_OLDEST_PENDING_AGE_DESCRIPTION).register(registry);
    }

    /** @param outcome {@code delivered}, {@code failed} (an attempt; retried) or {@code dropped} */
    void counted(NotificationType type, String outcome) {
        Counter.builder(MetricsConstants.NOTIFICATIONS).description(MetricsConstants.NOTIFICATIONS_DESCRIPTION)
                .tag("type", type.wireName()).tag("outcome", outcome).register(registry).increment();
    }

    /** Reads the backlog from the store. */
    public NotificationStore.Backlog refresh() {
        NotificationStore.Backlog b = QuarkusTransaction.requiringNew().call(store::backlog);
        pending.set(b.pending());
        oldestAgeSeconds.set(b.oldest() == null ? 0 : Math.max(0, Duration.between(b.oldest(), clock.instant())
                .toSeconds()));
        return b;
    }
}
