package io.vendorusage.agent.outbox;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.store.StoreWrites;

/**
 * Group commit for ingest: the queue and the writer thread. Requests queue here; the thread takes every request
 * waiting (up to {@code agent.ingest.group-max-events} events) and writes them in one transaction
 * ({@link GroupWrite}), so concurrent requests share one commit (one sync to disk) and each is answered only
 * once its own events are durable. Waiting holds no thread: a request gets a future, completed by the writer.
 *
 * <p>Each request stays all or nothing: a request with a conflicting event id fails with {@link EventConflict}
 * and writes nothing, without touching the others in its group. When the commit fails every request of the
 * group fails with {@link StoreWriteException} and nothing of the group is stored. The queue is bounded by
 * {@code agent.ingest.queue-capacity} events; a request that does not fit is refused at once
 * ({@link IngestSaturated}) rather than held in memory.
 */
@Startup
@ApplicationScoped
public class OutboxWriter {

    private static final Logger LOG = Logger.getLogger(OutboxWriter.class);
    /** A commit that loses a race on a new event id (another agent on the same database) is decided again. */
    private static final int ATTEMPTS = 3;
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgentConfig config;
    private final JobWatch watch;
    private final GroupWrite groupWrite;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final DistributionSummary groupSizes;
    private final Thread thread;
    private final StoreWrites writes;
    private volatile boolean running = true;

    /** One request's events waiting for a commit. */
    private record Pending(GroupWrite.Request request, CompletableFuture<List<AppendOutcome>> done) {
    }

    public OutboxWriter(AgroalDataSource dataSource, AgentConfig config, MeterRegistry registry, JobWatch watch,
            StoreWrites writes) {
        this.config = config;
        this.writes = writes;
        this.watch = watch;
        this.groupWrite = new GroupWrite(dataSource, config.submission().bucket());
        this.room = new Semaphore(config.ingest().queueCapacity());
        this.groupSizes = DistributionSummary.builder(MetricsConstants.INGEST_COMMIT_EVENTS)
                .description(MetricsConstants.INGEST_COMMIT_EVENTS_DESCRIPTION).register(registry);
        Gauge.builder(MetricsConstants.INGEST_QUEUE_EVENTS, this, OutboxWriter::queuedEvents)
                .description(MetricsConstants.INGEST_QUEUE_EVENTS_DESCRIPTION).register(registry);
        this.thread = new Thread(this::run, "outbox-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues the events for storing, all or nothing, idempotently by event id.
     *
     * @return the outcome of each event, in order, once the transaction holding them has committed; or
     *         {@link EventConflict} when an event id was used with other content, {@link StoreWriteException} when
     *         the store refused the commit
     * @throws IngestSaturated at once when the queue has no room for the events or the agent is stopping
     */
    public CompletableFuture<List<AppendOutcome>> append(List<NewEvent> events, Instant receivedAt) {
        if (!running) {
            throw new IngestSaturated("The agent is shutting down; nothing from this request was stored.", 5);
        }
        if (!room.tryAcquire(events.size())) {
            throw new IngestSaturated("The agent is taking in more events than the store keeps up with; nothing"
                    + " from this request was stored, retry shortly.", 1);
        }
        CompletableFuture<List<AppendOutcome>> done = new CompletableFuture<>();
        done.whenComplete((outcomes, failure) -> room.release(events.size()));
        queue.add(new Pending(new GroupWrite.Request(events, receivedAt), done));
        return done;
    }

    /** @return events accepted into the queue and not yet answered (waiting or being committed) */
    public int queuedEvents() {
        return config.ingest().queueCapacity() - room.availablePermits();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int events = first.request().events().size();
                Pending next;
                while (events < config.ingest().groupMaxEvents() && (next = queue.poll()) != null) {
                    group.add(next);
                    events += next.request().events().size();
                }
                try (JobWatch.Run run = watch.start("outbox-writer")) {
                    commit(group, events);
                }
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException | Error e) {
                // never let the writer die: fail this group, keep serving the next
                LOG.errorf(e, "Outbox writer failed a group of %d requests", group.size());
                group.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group, int events) {
        List<GroupWrite.Request> requests = group.stream().map(Pending::request).toList();
        for (int attempt = 1;; attempt++) {
            try {
                List<Idempotency.Decision> decisions = groupWrite.write(requests);
                writes.succeeded();
                groupSizes.record(events);
                for (int i = 0; i < group.size(); i++) {
                    Idempotency.Decision d = decisions.get(i);
                    if (d.refused()) {
                        group.get(i).done().completeExceptionally(new EventConflict(d.conflicts()));
                    } else {
                        group.get(i).done().complete(d.outcomes());
                    }
                }
                return;
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isUniqueViolation(e)) {
                    continue;
                }
                StoreWriteException failure = new StoreWriteException(e);
                writes.failed(failure);
                group.forEach(p -> p.done().completeExceptionally(failure));
                return;
            }
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
            if (UNIQUE_VIOLATION.equals(n.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Lets queued requests finish, then stops the writer; requests arriving later are refused with a 503. */
    @PreDestroy
    void stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The store refused or lost a group's transaction: nothing of the group was committed. */
    public static final class StoreWriteException extends RuntimeException {
        StoreWriteException(SQLException cause) {
            super("Writing events to the store failed", cause);
        }
    }
}
