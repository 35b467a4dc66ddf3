package io.vendorusage.agent.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Knows which store-touching jobs are running, since when and on which thread, so that a run that never
 * ends shows: a thread wedged inside a broken store (a driver that spins after a failed write, as H2 once did)
 * fails no call and logs nothing, it just stops that job for good. {@link StuckJobsCheck} turns such a
 * run into a failed liveness check, so a supervisor restarts the process; restarts lose nothing.
 */
@ApplicationScoped
public class JobWatch {

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Run> running = new ConcurrentHashMap<>();

    public JobWatch(Clock clock) {
        this.clock = clock;
    }

    /** One run of a job, on the thread that started it; close it when the run ends, however it ends. */
    public final class Run implements AutoCloseable {
        private final long id = ids.incrementAndGet();
        private final String job;
        private final Instant startedAt;
        private final Thread thread;
        private volatile boolean reported;

        private Run(String job) {
            this.job = job;
            this.startedAt = clock.instant();
            this.thread = Thread.currentThread();
        }

        public String job() {
            return job;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Thread thread() {
            return thread;
        }

        public Duration runningFor() {
            return Duration.between(startedAt, clock.instant());
        }

        /** @return true the first time it is asked, so a stuck run is logged once */
        boolean firstReport() {
            boolean first = !reported;
            reported = true;
            return first;
        }

        @Override
        public void close() {
            running.remove(id);
        }
    }

    public Run start(String job) {
        Run run = new Run(job);
        running.put(run.id, run);
        return run;
    }

    /** @return the run that has been going the longest, if any job is running */
    public Optional<Run> longest() {
        return running.values().stream().min(Comparator.comparing(Run::startedAt));
    }

    /** @return whether a run of {@code job} is going on now */
    public boolean isRunning(String job) {
        return running.values().stream().anyMatch(run -> run.job.equals(job));
    }
}
