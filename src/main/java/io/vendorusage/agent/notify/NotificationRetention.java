package io.vendorusage.agent.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.JobFailures;

/**
 * Retention of the notifications table: delivered and dropped notifications older than
 * {@code agent.notifications.retention} are deleted with their attempts, in transactions of at most
 * {@link #BATCH}. Pending ones are never touched, nor those holding a once-key (their row is what keeps a
 * threshold crossing, a drift or a period at risk from being told twice).
 */
@ApplicationScoped
public class NotificationRetention {

    private static final Logger LOG = Logger.getLogger(NotificationRetention.class);
    static final int BATCH = 500;

    private final NotificationStore store;
    private final AgentConfig.Notifications config;
    private final Clock clock;
    private final JobFailures failures;

    NotificationRetention(NotificationStore store, AgentConfig config, Clock clock, JobFailures failures) {
        this.store = store;
        this.config = config.notifications();
        this.clock = clock;
        this.failures = failures;
    }

    @Scheduled(identity = "notification-purge", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.outbox.purge-interval}", delayed = "40s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        failures.run("notification-purge", () -> purgeBefore(clock.instant().minus(config.retention())));
    }

    /** @return how many notifications created before {@code cutoff} were deleted */
    public long purgeBefore(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> {
                List<String> ids = store.finishedIdsBefore(cutoff, BATCH);
                return store.delete(ids);
            });
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.infof("Purged %d delivered or dropped notifications created before %s", total, cutoff);
        }
        return total;
    }
}
