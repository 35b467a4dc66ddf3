package io.vendorusage.agent.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vendorusage.agent.observability.MetricsConstants;

/** The ingest counters: accepted, duplicate and refused (by reason). */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter ingested;
    private final Counter duplicates;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ingested = Counter.builder(MetricsConstants.EVENTS_INGESTED)
                .description(MetricsConstants.EVENTS_INGESTED_DESCRIPTION).register(registry);
        this.duplicates = Counter.builder(MetricsConstants.EVENTS_DUPLICATE)
                .description(MetricsConstants.EVENTS_DUPLICATE_DESCRIPTION).register(registry);
    }

    void stored(int accepted, int duplicate) {
        ingested.increment(accepted);
        duplicates.increment(duplicate);
    }

    /** Counts one refused ingest request; {@code reason} is the problem type, a small fixed set. */
    public void rejected(String reason) {
        Counter.builder(MetricsConstants.INGEST_REJECTED)
                .description(MetricsConstants.INGEST_REJECTED_DESCRIPTION)
                .tag(MetricsConstants.TAG_REASON, reason)
                .register(registry)
                .increment();
    }
}
