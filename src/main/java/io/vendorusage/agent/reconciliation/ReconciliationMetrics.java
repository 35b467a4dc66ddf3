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
import io.vendorusage.agent.observability.MetricsConstants;

/** Reconciliation meters: runs, last success, rows by status, drift per app, settlements. */
@Startup
@ApplicationScoped
public class ReconciliationMetrics {

    private final MeterRegistry registry;
    private final AgentConfig config;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Map<RowStatus, AtomicLong> rows = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> drift = new ConcurrentHashMap<>();

    public ReconciliationMetrics(MeterRegistry registry, AgentConfig config) {
        this.registry = registry;
        this.config = config;
        Gauge.builder(MetricsConstants.RECONCILIATION_LAST_SUCCESS, lastSuccess, AtomicLong::get)
                .description(MetricsConstants.RECONCILIATION_LAST_SUCCESS_DESCRIPTION).register(registry);
        for (RowStatus status : RowStatus.values()) {
            AtomicLong value = new AtomicLong();
            rows.put(status, value);
            Gauge.builder(MetricsConstants.RECONCILIATION_ROWS, value, AtomicLong::get)
                    .description(MetricsConstants.RECONCILIATION_ROWS_DESCRIPTION)
                    .tag(MetricsConstants.TAG_STATUS, status.wire()).register(registry);
        }
        config.apps().keySet().forEach(this::driftGauge);
        driftGauge(MetricsConstants.OTHER_APP);
        for (RunOutcome outcome : new RunOutcome[] { RunOutcome.SUCCESS, RunOutcome.PARTIAL, RunOutcome.FAILED }) {
            runs(outcome);
        }
        for (SettlementDecision decision : SettlementDecision.values()) {
            settledCounter(decision);
        }
    }

    private Counter runs(RunOutcome outcome) {
        return Counter.builder(MetricsConstants.RECONCILIATION_RUNS)
                .description(MetricsConstants.RECONCILIATION_RUNS_DESCRIPTION)
                .tag(MetricsConstants.TAG_OUTCOME, outcome.wire()).register(registry);
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

    void runEnded(RunOutcome outcome, long finishedEpochSeconds, Map<RowStatus, Long> rowsByStatus,
            Map<String, BigDecimal> driftByApp) {
        runs(outcome).increment();
        if (outcome != RunOutcome.FAILED) {
            lastSuccess.set(finishedEpochSeconds);
            rows.forEach((status, value) -> value.set(rowsByStatus.getOrDefault(status, 0L)));
            drift.values().forEach(v -> v.set(0.0));
            driftByApp.forEach((app, q) -> driftGauge(config.apps().containsKey(app) ? app : MetricsConstants.OTHER_APP)
                    .accumulateAndGet(q.doubleValue(), Double::sum));
        }
    }

    void runSkipped() {
        runs(RunOutcome.SKIPPED).increment();
    }

    void settled(SettlementDecision decision) {
        settledCounter(decision).increment();
    }

    private Counter settledCounter(SettlementDecision decision) {
        return Counter.builder(MetricsConstants.UNCERTAIN_SETTLED)
                .description(MetricsConstants.UNCERTAIN_SETTLED_DESCRIPTION)
                .tag(MetricsConstants.TAG_DECISION, decision.wire()).register(registry);
    }
}
