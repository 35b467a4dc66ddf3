package io.vendorusage.agent.submission;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.MetricsConstants;

/** Counts record outcomes per app; an app that is not configured is tagged {@code other}. */
@ApplicationScoped
public class SubmissionMetrics {

    private final MeterRegistry registry;
    private final AgentConfig config;

    public SubmissionMetrics(MeterRegistry registry, AgentConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** Counts an event the vendor's app cancelled. */
    void cancelled(String appId) {
        Counter.builder(MetricsConstants.EVENTS_CANCELLED).description(MetricsConstants.EVENTS_CANCELLED_DESCRIPTION)
                .tag(MetricsConstants.TAG_APP, config.apps().containsKey(appId) ? appId : MetricsConstants.OTHER_APP)
                .register(registry).increment();
    }

    /** @param outcome {@code confirmed}, {@code retry}, {@code uncertain} or {@code failed} */
    void outcome(String appId, String outcome) {
        Counter.builder(MetricsConstants.SUBMISSIONS).description(MetricsConstants.SUBMISSIONS_DESCRIPTION)
                .tag(MetricsConstants.TAG_APP, config.apps().containsKey(appId) ? appId : MetricsConstants.OTHER_APP)
                .tag(MetricsConstants.TAG_OUTCOME, outcome)
                .register(registry).increment();
    }
}
