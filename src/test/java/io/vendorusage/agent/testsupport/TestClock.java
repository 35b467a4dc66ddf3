package io.vendorusage.agent.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The agent's clock in {@code @QuarkusTest} suites: the system clock plus an offset that tests move forward
 * ({@link #advance}) instead of sleeping until a lag, a token lifetime or an upstream hold has passed. It never
 * goes back, so nothing the agent stored is ever in its future: not even across the restarts of the application
 * between test profiles, when the store (a file, or the CI's PostgreSQL) keeps what an earlier application
 * stored at its own, advanced "now". The offset is therefore kept for the whole test JVM, in a system property,
 * which every class loader of the Quarkus test runs sees.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {

    private static final String OFFSET_NANOS = "vendorusage.test.clock-offset-nanos";

    /** Moves "now" forward by {@code by} for every part of the agent at once. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock never goes back: " + by);
        }
        synchronized (System.getProperties()) {
            System.setProperty(OFFSET_NANOS, Long.toString(offsetNanos() + by.toNanos()));
        }
    }

    /** Moves "now" to {@code instant} if that is later; does nothing otherwise. */
    public void advanceTo(Instant instant) {
        Duration ahead = Duration.between(instant(), instant);
        if (!ahead.isNegative()) {
            advance(ahead.plusNanos(1000));
        }
    }

    @Override
    public Instant instant() {
        return Instant.now().plusNanos(offsetNanos());
    }

    /** @return the agent's "now" as any test application's clock reads it: wall time plus the JVM-wide offset */
    public static Instant agentNow() {
        return Instant.now().plusNanos(offsetNanos());
    }

    private static long offsetNanos() {
        return Long.getLong(OFFSET_NANOS, 0L);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("the agent's clock is UTC, not " + zone);
    }
}
