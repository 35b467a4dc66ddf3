package io.vendorusage.agent.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Every scheduled job reports its failures here: one log line and one count per failed run. */
@ApplicationScoped
public class JobFailures {

    private static final Logger LOG = Logger.getLogger(JobFailures.class);

    private final MeterRegistry registry;

    public JobFailures(MeterRegistry registry) {
        this.registry = registry;
    }

    public void failed(String job, RuntimeException e) {
        Counter.builder(MetricsConstants.JOB_FAILURES).description(MetricsConstants.JOB_FAILURES_DESCRIPTION)
                .tag(MetricsConstants.TAG_JOB, job).register(registry).increment();
        LOG.warnf("Job %s failed: %s", job, e.toString());
    }
}
