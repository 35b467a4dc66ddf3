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

    /** The {@code outcome} tag of {@code vendorusage_submissions_total}. */
    enum Outcome {
        CONFIRMED("confirmed"), RETRY("retry"), UNCERTAIN("uncertain"), FAILED("failed");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    void outcome(String appId, Outcome outcome) {
        Counter.builder(MetricsConstants.SUBMISSIONS).description(MetricsConstants.SUBMISSIONS_DESCRIPTION)
                .tag(MetricsConstants.TAG_APP, config.apps().containsKey(appId) ? appId : MetricsConstants.OTHER_APP)
                .tag(MetricsConstants.TAG_OUTCOME, outcome.tag)
                .register(registry).increment();
    }
}
