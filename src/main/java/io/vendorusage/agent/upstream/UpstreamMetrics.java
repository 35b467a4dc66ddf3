package io.vendorusage.agent.upstream;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vendorusage.agent.observability.MetricsConstants;

/** Counters and timers of upstream calls; tags are bounded (endpoint names, status codes, outcomes). */
@Startup
@ApplicationScoped
public class UpstreamMetrics {

    private final MeterRegistry registry;
    private final Timer postDuration;
    private final Counter rateLimited;

    public UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.postDuration = Timer.builder(MetricsConstants.SUBMISSION_DURATION)
                .description(MetricsConstants.SUBMISSION_DURATION_DESCRIPTION)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.rateLimited = Counter.builder(MetricsConstants.UPSTREAM_RATE_LIMITED)
                .description(MetricsConstants.UPSTREAM_RATE_LIMITED_DESCRIPTION).register(registry);
    }

    void request(String endpoint, String status) {
        Counter.builder(MetricsConstants.UPSTREAM_REQUESTS).description(MetricsConstants.UPSTREAM_REQUESTS_DESCRIPTION)
                .tag(MetricsConstants.TAG_ENDPOINT, endpoint).tag(MetricsConstants.TAG_STATUS, status)
                .register(registry).increment();
    }

    void postTook(long nanos) {
        postDuration.record(Duration.ofNanos(nanos));
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void tokenRefresh(String outcome) {
        Counter.builder(MetricsConstants.TOKEN_REFRESH).description(MetricsConstants.TOKEN_REFRESH_DESCRIPTION)
                .tag(MetricsConstants.TAG_OUTCOME, outcome).register(registry).increment();
    }
}
