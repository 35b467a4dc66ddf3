package io.vendorusage.agent.submission;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.JobFailures;

/** Runs a submitter pass every {@code agent.submission.interval}; counts and logs every failure. */
@ApplicationScoped
public class SubmitterJob {

    private static final Logger LOG = Logger.getLogger(SubmitterJob.class);

    private final SubmitterService submitter;
    private final JobFailures failures;

    public SubmitterJob(SubmitterService submitter, JobFailures failures) {
        this.submitter = submitter;
        this.failures = failures;
    }

    /** Skips the job while {@code agent.submission.enabled} is false or the agent is stopping. */
    @ApplicationScoped
    public static class Paused implements Scheduled.SkipPredicate {
        private final AgentConfig config;
        private final Scheduled.ApplicationNotRunning notRunning;

        public Paused(AgentConfig config, Scheduled.ApplicationNotRunning notRunning) {
            this.config = config;
            this.notRunning = notRunning;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return notRunning.test(execution) || !config.submission().enabled();
        }
    }

    @Scheduled(identity = "submitter", every = "${agent.submission.interval}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Paused.class)
    void run() {
        try {
            SubmitterService.PassReport report = submitter.runScheduledPass();
            if (report != null && (report.recordsPlanned() > 0 || report.attempted() > 0
                    || report.abandonedSettled() > 0)) {
                LOG.infof("Submitter pass: %d planned, %d sent, %d confirmed, %d abandoned settled; stopped: %s",
                        report.recordsPlanned(), report.attempted(), report.confirmed(), report.abandonedSettled(),
                        report.stoppedBecause());
            }
        } catch (RuntimeException e) {
            failures.failed("submitter", e);
        }
    }
}
