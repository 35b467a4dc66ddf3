package io.vendorusage.agent.observability;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Every scheduled job reports its failures here: one log line and one count per failed run. */
@Startup
@ApplicationScoped
public class JobFailures {

    /** The agent's scheduled tasks; their counters exist from start-up, at zero. */
    static final String[] TASKS = { "submitter", "reconciliation", "outbox-purge", "notification-delivery", "usage-thresholds", "period-at-risk",
            "notification-purge" };

    private static final Logger LOG = Logger.getLogger(JobFailures.class);

    private final MeterRegistry registry;

    public JobFailures(MeterRegistry registry) {
        this.registry = registry;
        for (String task : TASKS) {
            counter(task);
        }
    }

    /** Runs one pass of a scheduled task: a failure is counted and logged here instead of thrown. */
    public void run(String task, Runnable pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            failed(task, e);
        }
    }

    public void failed(String task, RuntimeException e) {
        counter(task).increment();
        LOG.warnf("Job %s failed: %s", task, e.toString());
    }

    private Counter counter(String task) {
        return Counter.builder(MetricsConstants.JOB_FAILURES).description(MetricsConstants.JOB_FAILURES_DESCRIPTION)
                .tag(MetricsConstants.TAG_JOB, task).register(registry);
    }
}
