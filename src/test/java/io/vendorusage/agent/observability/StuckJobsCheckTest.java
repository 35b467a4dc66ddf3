package io.vendorusage.agent.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * Liveness goes down while a job run outlasts the limit, names it and where its thread is, and comes back
 * when it ends.
 */
class StuckJobsCheckTest {

    private static final Duration LIMIT = Duration.ofMinutes(15);

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-25T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final HandClock clock = new HandClock();
    private final JobWatch watch = new JobWatch(clock);

    @Test
    void upWhileNothingRunsAndWhileRunsAreYoungerThanTheLimit() {
        assertEquals(HealthCheckResponse.Status.UP, StuckJobsCheck.check(watch, LIMIT).getStatus());
        try (JobWatch.Run run = watch.start("submitter")) {
            clock.advance(LIMIT);
            assertEquals(HealthCheckResponse.Status.UP, StuckJobsCheck.check(watch, LIMIT).getStatus());
        }
        clock.advance(LIMIT.multipliedBy(2));
        assertEquals(HealthCheckResponse.Status.UP, StuckJobsCheck.check(watch, LIMIT).getStatus(),
                "a run that ended is forgotten, however long ago it began");
    }

    @Test
    void downWhileARunOutlastsTheLimitNamingTheJobAndItsThread() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread wedged = new Thread(() -> {
            try (JobWatch.Run run = watch.start("submitter")) {
                started.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wedged-submitter");
        wedged.start();
        assertEquals(true, started.await(10, TimeUnit.SECONDS));
        clock.advance(Duration.ofSeconds(5));
        try (JobWatch.Run younger = watch.start("reconciliation")) {
            clock.advance(LIMIT);
            HealthCheckResponse response = StuckJobsCheck.check(watch, LIMIT);
            assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
            var data = response.getData().orElseThrow();
            assertEquals("submitter", data.get("job"), "the longest run is named");
            assertEquals("PT15M5S", data.get("runningFor"));
            assertEquals("wedged-submitter", data.get("thread"));
            assertEquals(true, String.valueOf(data.get("at")).contains("park")
                    || String.valueOf(data.get("at")).contains("await"), "where the thread is: " + data.get("at"));
            assertEquals(HealthCheckResponse.Status.DOWN, StuckJobsCheck.check(watch, LIMIT).getStatus(),
                    "stays down on every probe, not only the first");
        } finally {
            release.countDown();
            wedged.join(10_000);
        }
        assertEquals(HealthCheckResponse.Status.UP, StuckJobsCheck.check(watch, LIMIT).getStatus(),
                "up again once the run ends");
    }
}
