package io.vendorusage.agent.outbox;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.ops.JobFailures;
import io.vendorusage.agent.ops.JobWatch;
import io.vendorusage.agent.ops.MetricsConstants;

/** Housekeeping of the events table: refreshing the backlog gauges and purging old submitted events. */
@ApplicationScoped
public class OutboxJobs {

    private static final Logger LOG = Logger.getLogger(OutboxJobs.class);
    static final int PURGE_BATCH = 1000;

    private final OutboxService outbox;
    private final OutboxGauges gauges;
    private final AgentConfig config;
    private final Clock clock;
    private final JobFailures failures;
    private final JobWatch watch;
    private final Counter purged;

    public OutboxJobs(OutboxService outbox, OutboxGauges gauges, AgentConfig config, Clock clock,
            MeterRegistry registry, JobFailures failures, JobWatch watch) {
        this.outbox = outbox;
        this.gauges = gauges;
        this.config = config;
        this.clock = clock;
        this.failures = failures;
        this.watch = watch;
        this.purged = Counter.builder(MetricsConstants.OUTBOX_PURGED)
                .description(MetricsConstants.OUTBOX_PURGED_DESCRIPTION).register(registry);
    }

    @Scheduled(identity = "outbox-stats", every = "${agent.outbox.stats-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshBacklog() {
        try (JobWatch.Run run = watch.start("outbox-stats")) {
            gauges.update(outbox.backlog());
        } catch (RuntimeException e) {
            failures.failed("outbox-stats", e);
        }
    }

    @Scheduled(identity = "outbox-purge", every = "${agent.outbox.purge-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (JobWatch.Run run = watch.start("outbox-purge")) {
            purgeSubmitted();
        } catch (RuntimeException e) {
            failures.failed("outbox-purge", e);
        }
    }

    /**
     * Deletes every submitted event submitted longer than {@code agent.outbox.retention} ago, in
     * batches so no transaction grows large.
     *
     * @return how many were deleted
     */
    public long purgeSubmitted() {
        Instant cutoff = clock.instant().minus(config.outbox().retention());
        long total = 0;
        int deleted;
        do {
            deleted = outbox.purgeSubmittedBefore(cutoff, PURGE_BATCH);
            total += deleted;
        } while (deleted == PURGE_BATCH);
        purged.increment(total);
        if (total > 0) {
            LOG.infof("Purged %d submitted events older than %s", total, config.outbox().retention());
        }
        return total;
    }
}
