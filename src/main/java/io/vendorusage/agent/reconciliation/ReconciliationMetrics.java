package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.ops.MetricsConstants;

/** Reconciliation meters: runs, last success, rows by status, drift per app, settlements. */
@Startup
@ApplicationScoped
public class ReconciliationMetrics {

    static final String[] STATUSES = { "match", "upstream-lagging", "uncertain-pending", "drift", "unknown-org" };

    private final MeterRegistry registry;
    private final AgentConfig config;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Map<String, AtomicLong> rows = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> drift = new ConcurrentHashMap<>();

    public ReconciliationMetrics(MeterRegistry registry, AgentConfig config) {
        this.registry = registry;
        this.config = config;
        Gauge.builder(MetricsConstants.RECONCILIATION_LAST_SUCCESS, lastSuccess, AtomicLong::get)
                .description(MetricsConstants.RECONCILIATION_LAST_SUCCESS_DESCRIPTION).register(registry);
        for (String status : STATUSES) {
            AtomicLong value = new AtomicLong();
            rows.put(status, value);
            Gauge.builder(MetricsConstants.RECONCILIATION_ROWS, value, AtomicLong::get)
                    .description(MetricsConstants.RECONCILIATION_ROWS_DESCRIPTION)
                    .tag(MetricsConstants.TAG_STATUS, status).register(registry);
        }
        config.apps().keySet().forEach(this::driftGauge);
        driftGauge(MetricsConstants.OTHER_APP);
        for (String outcome : new String[] { "success", "partial", "failed" }) {
            runs(outcome);
        }
        for (String decision : new String[] { "confirmed", "resent", "held" }) {
            settledCounter(decision);
        }
    }

    private Counter runs(String outcome) {
        return Counter.builder(MetricsConstants.RECONCILIATION_RUNS)
                .description(MetricsConstants.RECONCILIATION_RUNS_DESCRIPTION)
                .tag(MetricsConstants.TAG_OUTCOME, outcome).register(registry);
    }

    private AtomicReference<Double> driftGauge(String app) {
        return drift.computeIfAbsent(app, a -> {
            AtomicReference<Double> value = new AtomicReference<>(0.0);
            Gauge.builder(MetricsConstants.RECONCILIATION_DRIFT, value, AtomicReference::get)
                    .description(MetricsConstants.RECONCILIATION_DRIFT_DESCRIPTION)
                    .tag(MetricsConstants.TAG_APP, a).register(registry);
            return value;
        });
    }

    void runEnded(String outcome, long finishedEpochSeconds, Map<String, Long> rowsByStatus,
            Map<String, BigDecimal> driftByApp) {
        runs(outcome).increment();
        if (!"failed".equals(outcome)) {
            lastSuccess.set(finishedEpochSeconds);
            rows.forEach((status, value) -> value.set(rowsByStatus.getOrDefault(status, 0L)));
            drift.values().forEach(v -> v.set(0.0));
            driftByApp.forEach((app, q) -> driftGauge(config.apps().containsKey(app) ? app : MetricsConstants.OTHER_APP)
                    .accumulateAndGet(q.doubleValue(), Double::sum));
        }
    }

    void runSkipped() {
        runs(ReconciliationRun.SKIPPED).increment();
    }

    void settled(String decision) {
        settledCounter(decision).increment();
    }

    private Counter settledCounter(String decision) {
        return Counter.builder(MetricsConstants.UNCERTAIN_SETTLED)
                .description(MetricsConstants.UNCERTAIN_SETTLED_DESCRIPTION)
                .tag(MetricsConstants.TAG_DECISION, decision).register(registry);
    }
}
