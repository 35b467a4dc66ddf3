package io.vendorusage.agent.reconciliation;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.JobFailures;
import io.vendorusage.agent.upstream.GenesysAccess;

/** Reconciles every {@code agent.reconciliation.interval} while enabled and credentials exist. */
@ApplicationScoped
public class ReconciliationJob {

    private final ReconciliationService reconciliation;
    private final JobFailures failures;

    public ReconciliationJob(ReconciliationService reconciliation, JobFailures failures) {
        this.reconciliation = reconciliation;
        this.failures = failures;
    }

    /** Skips the job when it is disabled, nothing can be asked upstream, or the agent is stopping. */
    @ApplicationScoped
    public static class Off implements Scheduled.SkipPredicate {
        private final AgentConfig config;
        private final GenesysAccess endpoints;
        private final Scheduled.ApplicationNotRunning notRunning;

        public Off(AgentConfig config, GenesysAccess endpoints, Scheduled.ApplicationNotRunning notRunning) {
            this.config = config;
            this.endpoints = endpoints;
            this.notRunning = notRunning;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return notRunning.test(execution) || !config.reconciliation().enabled()
                    || endpoints.credentials().isEmpty();
        }
    }

    @Scheduled(identity = "reconciliation", every = "${agent.reconciliation.interval}",
            delayed = "${agent.reconciliation.initial-delay:PT60S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void run() {
        try {
            reconciliation.run();
        } catch (RuntimeException e) {
            failures.failed("reconciliation", e);
        }
    }
}
