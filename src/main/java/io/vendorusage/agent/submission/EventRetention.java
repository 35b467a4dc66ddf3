package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.JobFailures;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.store.StoreMaintenance;

/**
 * Retention of the events table: deletes the events of records confirmed longer than
 * {@code agent.outbox.retention} ago, in transactions of at most {@link #BATCH} rows. Events of planned,
 * sending, uncertain or failed records, and unassigned ones, are never touched. Records themselves stay. After a
 * purge the store gives the freed space back ({@link StoreMaintenance#reclaim()}).
 */
@Startup
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);
    static final int BATCH = 1000;
    private static final int RANGES_PER_QUERY = 100;

    private final OutboxEventRepository events;
    private final RecordRanges records;
    private final AgentConfig config;
    private final Clock clock;
    private final JobFailures failures;
    private final JobWatch watch;
    private final Counter purged;
    private final StoreMaintenance maintenance;

    public EventRetention(OutboxEventRepository events, RecordRanges records, AgentConfig config,
            Clock clock, MeterRegistry registry, JobFailures failures, JobWatch watch, StoreMaintenance maintenance) {
        this.events = events;
        this.records = records;
        this.config = config;
        this.clock = clock;
        this.failures = failures;
        this.watch = watch;
        this.maintenance = maintenance;
        this.purged = Counter.builder(MetricsConstants.OUTBOX_PURGED)
                .description(MetricsConstants.OUTBOX_PURGED_DESCRIPTION).register(registry);
    }

    @Scheduled(identity = "outbox-purge", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.outbox.purge-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (JobWatch.Run run = watch.start("outbox-purge")) {
            purgeConfirmed();
        } catch (RuntimeException e) {
            failures.failed("outbox-purge", e);
        }
    }

    /** @return how many events were deleted */
    public long purgeConfirmed() {
        Instant cutoff = clock.instant().minus(config.outbox().retention());
        long total = 0;
        List<RecordRanges.Held> held;
        do {
            held = QuarkusTransaction.requiringNew().call(() -> records.confirmedBefore(cutoff, RANGES_PER_QUERY));
            for (RecordRanges.Held range : held) {
                int deleted;
                do {
                    deleted = QuarkusTransaction.requiringNew()
                            .call(() -> events.deleteByIds(events.idsInRange(range.range(), BATCH)));
                    total += deleted;
                    purged.increment(deleted);
                } while (deleted == BATCH);
                QuarkusTransaction.requiringNew().run(() -> records.remove(range));
            }
        } while (held.size() == RANGES_PER_QUERY);
        if (total > 0) {
            LOG.infof("Purged %d events of records confirmed more than %s ago", total, config.outbox().retention());
            maintenance.reclaim();
        }
        return total;
    }
}
