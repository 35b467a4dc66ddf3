package io.vendorusage.agent.observability;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;

/**
 * Not live while a job run has lasted longer than {@code agent.health.stuck-after}: its thread is wedged
 * and the job will never run again in this process, so the process needs a restart (Kubernetes does it on
 * a failed liveness probe). Names the job, how long it has run and where its thread is; logs the thread's
 * stack once per stuck run. Touches no store, so it answers even when the store hangs.
 */
@Liveness
@ApplicationScoped
public class StuckJobsCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(StuckJobsCheck.class);
    private static final int FRAMES_LOGGED = 25;

    private final JobWatch watch;
    private final AgentConfig config;

    public StuckJobsCheck(JobWatch watch, AgentConfig config) {
        this.watch = watch;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return check(watch, config.health().stuckAfter());
    }

    static HealthCheckResponse check(JobWatch watch, Duration stuckAfter) {
        Optional<JobWatch.Run> longest = watch.longest().filter(run -> run.runningFor().compareTo(stuckAfter) > 0);
        if (longest.isEmpty()) {
            return HealthCheckResponse.named("jobs").up().build();
        }
        JobWatch.Run run = longest.get();
        StackTraceElement[] stack = run.thread().getStackTrace();
        if (run.firstReport()) {
            LOG.errorf("Job %s has been running for %s on thread %s (more than agent.health.stuck-after = %s); the"
                    + " agent reports itself not live so that it is restarted. The thread is at:%n\t%s", run.job(),
                    run.runningFor(), run.thread().getName(), stuckAfter,
                    Arrays.stream(stack).limit(FRAMES_LOGGED).map(String::valueOf)
                            .collect(Collectors.joining(System.lineSeparator() + "\t")));
        }
        return HealthCheckResponse.named("jobs").down()
                .withData("job", run.job())
                .withData("runningFor", run.runningFor().toString())
                .withData("startedAt", run.startedAt().toString())
                .withData("thread", run.thread().getName())
                .withData("at", stack.length > 0 ? String.valueOf(stack[0]) : "unknown")
                .build();
    }
}
