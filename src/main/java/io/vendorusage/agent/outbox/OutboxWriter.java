package io.vendorusage.agent.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem;
import io.vendorusage.agent.http.ProblemException;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.ops.JobWatch;
import io.vendorusage.agent.ops.MetricsConstants;

/**
 * Group commit for ingest. Requests queue here; one writer thread takes every request waiting (up to
 * {@code agent.ingest.group-max-events} events), decides each one's outcome against the store and the requests
 * before it in the group, inserts all new rows in one transaction and commits once. Each caller returns only
 * after the commit that holds its own events, so concurrent requests share one commit (one fsync on
 * PostgreSQL) and each still gets its answer only once its events are durable.
 *
 * <p>Each request stays all or nothing: a request with a conflicting event id gets its 409 and writes
 * nothing, without touching the others in its group. When the commit fails every request of the group gets
 * the store failure (503) and nothing of the group is stored. The queue is bounded by
 * {@code agent.ingest.queue-capacity} events; a request that does not fit is refused at once with a 503 and
 * {@code Retry-After} rather than held in memory.
 */
@Startup
@ApplicationScoped
public class OutboxWriter {

    private static final Logger LOG = Logger.getLogger(OutboxWriter.class);
    /** A commit that loses a race on a new event id (another agent on the same database) is decided again. */
    private static final int ATTEMPTS = 3;
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgroalDataSource dataSource;
    private final AgentConfig config;
    private final JobWatch watch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final DistributionSummary groupSizes;
    private final EventRows rows = new EventRows();
    private final Thread thread;
    private volatile boolean running = true;
    /** The last group commit's store failure; cleared by the next commit that succeeds. */
    private volatile StoreWriteException lastFailure;

    /** One request's events waiting for a commit. */
    private record Pending(List<NewEvent> events, Instant receivedAt, CompletableFuture<List<AppendOutcome>> done) {
    }

    /** A request's decided outcome within a group: its outcomes and rows, or its refusal. */
    private record Decision(List<AppendOutcome> outcomes, List<EventRows.Row> rows, ProblemException refusal) {
    }

    public OutboxWriter(AgroalDataSource dataSource, AgentConfig config, MeterRegistry registry, JobWatch watch) {
        this.dataSource = dataSource;
        this.config = config;
        this.watch = watch;
        this.room = new Semaphore(config.ingest().queueCapacity());
        this.groupSizes = DistributionSummary.builder(MetricsConstants.INGEST_COMMIT_EVENTS)
                .description(MetricsConstants.INGEST_COMMIT_EVENTS_DESCRIPTION).register(registry);
        io.micrometer.core.instrument.Gauge.builder(MetricsConstants.INGEST_QUEUE_EVENTS, this, OutboxWriter::queuedEvents)
                .description(MetricsConstants.INGEST_QUEUE_EVENTS_DESCRIPTION).register(registry);
        this.thread = new Thread(this::run, "outbox-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Stores the events, all or nothing, idempotently by event id.
     *
     * @return the outcome of each event, in order, once the transaction holding them has committed
     * @throws ProblemException 409 when an event id was used with other content, 503 when the queue is full
     */
    public List<AppendOutcome> append(List<NewEvent> events, Instant receivedAt) {
        if (!running) {
            throw Problems.unavailable("The agent is shutting down; nothing from this request was stored.", 5);
        }
        if (!room.tryAcquire(events.size())) {
            throw Problems.unavailable("The agent is taking in more events than the store keeps up with; nothing"
                    + " from this request was stored, retry shortly.", 1);
        }
        CompletableFuture<List<AppendOutcome>> done = new CompletableFuture<>();
        try {
            queue.add(new Pending(events, receivedAt, done));
            return await(done);
        } finally {
            room.release(events.size());
        }
    }

    /** @return the failure of the last ingest commit, while no commit has succeeded since */
    public java.util.Optional<StoreWriteException> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    /** Readiness proved the store writable again: forget the last failure. */
    public void storeWritable() {
        lastFailure = null;
    }

    /** @return events accepted into the queue and not yet answered (waiting or being committed) */
    public int queuedEvents() {
        return config.ingest().queueCapacity() - room.availablePermits();
    }

    private static List<AppendOutcome> await(CompletableFuture<List<AppendOutcome>> done) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    // the commit decides the answer: keep waiting for it, keep the interrupt for the caller
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("Store write failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
                int events = first.events().size();
                Pending next;
                while (events < config.ingest().groupMaxEvents() && (next = queue.poll()) != null) {
                    group.add(next);
                    events += next.events().size();
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
        for (int attempt = 1;; attempt++) {
            try {
                List<Decision> decisions = write(group);
                lastFailure = null;
                groupSizes.record(events);
                for (int i = 0; i < group.size(); i++) {
                    Decision d = decisions.get(i);
                    if (d.refusal() != null) {
                        group.get(i).done().completeExceptionally(d.refusal());
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
                lastFailure = failure;
                group.forEach(p -> p.done().completeExceptionally(failure));
                return;
            }
        }
    }

    /** Decides every request of the group, inserts the new rows and commits; throws when nothing was committed. */
    private List<Decision> write(List<Pending> group) throws SQLException {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        group.forEach(p -> p.events().forEach(e -> ids.add(e.eventId())));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, OutboxEvent> stored = rows.findStored(connection, new ArrayList<>(ids));
                Map<String, NewEvent> taken = new HashMap<>();
                List<Decision> decisions = new ArrayList<>(group.size());
                List<EventRows.Row> inserts = new ArrayList<>();
                for (Pending pending : group) {
                    Decision d = decide(pending, stored, taken);
                    decisions.add(d);
                    if (d.refusal() == null) {
                        inserts.addAll(d.rows());
                        d.rows().forEach(r -> taken.put(r.event().eventId(), r.event()));
                    }
                }
                rows.insert(connection, inserts);
                connection.commit();
                return decisions;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /**
     * One request's outcome as if it ran alone after the requests before it in the group: an event id stored
     * or taken earlier with the same content is a duplicate; with other content the request is refused whole.
     */
    private Decision decide(Pending pending, Map<String, OutboxEvent> stored, Map<String, NewEvent> taken) {
        List<NewEvent> events = pending.events();
        Map<String, NewEvent> inRequest = new HashMap<>();
        List<AppendOutcome> outcomes = new ArrayList<>(events.size());
        List<EventRows.Row> fresh = new ArrayList<>();
        List<Problem.FieldError> conflicts = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            OutboxEvent existing = stored.get(event.eventId());
            NewEvent earlier = taken.get(event.eventId());
            if (earlier == null) {
                earlier = inRequest.get(event.eventId());
            }
            boolean same;
            if (existing != null) {
                same = event.sameContentAs(existing);
            } else if (earlier != null) {
                same = event.sameContentAs(earlier);
            } else {
                inRequest.put(event.eventId(), event);
                fresh.add(new EventRows.Row(event, Buckets.startOf(event.occurredAt(), config.submission().bucket()),
                        pending.receivedAt()));
                outcomes.add(AppendOutcome.ACCEPTED);
                continue;
            }
            if (!same) {
                conflicts.add(new Problem.FieldError(i, "eventId",
                        "eventId " + event.eventId() + " was already used for an event with different content"));
            }
            outcomes.add(AppendOutcome.DUPLICATE);
        }
        if (!conflicts.isEmpty()) {
            return new Decision(null, null, Problems.conflict(
                    "An eventId may only be resent with the same content; nothing was stored.", conflicts));
        }
        return new Decision(outcomes, fresh, null);
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

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it and nothing was committed
        }
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
