package io.vendorusage.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter: each delay lies in [0, min(max, base * 2^(attempt-1))] and spans it. */
class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    /** @return the least and the greatest of many delays of one attempt, in ms */
    private static long[] range(int attempt) {
        long least = Long.MAX_VALUE;
        long greatest = Long.MIN_VALUE;
        for (int i = 0; i < 4000; i++) {
            long ms = Backoff.delay(attempt, BASE, MAX).toMillis();
            least = Math.min(least, ms);
            greatest = Math.max(greatest, ms);
        }
        return new long[] { least, greatest };
    }

    @Test
    void theCeilingDoublesWithEachAttemptFromTheBase() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ceiling = 100L << (attempt - 1);
            long[] r = range(attempt);
            assertTrue(r[0] >= 0 && r[1] <= ceiling, "attempt " + attempt + ": " + r[0] + ".." + r[1]);
            // full jitter: the draws reach near both ends of [0, ceiling]
            assertTrue(r[0] <= ceiling / 10, "attempt " + attempt + " least " + r[0]);
            assertTrue(r[1] >= ceiling * 9 / 10, "attempt " + attempt + " greatest " + r[1] + " of " + ceiling);
        }
    }

    @Test
    void theCeilingStopsAtTheMaximumAndNeverOverflows() {
        for (int attempt : new int[] { 8, 30, 31, 64, Integer.MAX_VALUE }) {
            long[] r = range(attempt);
            assertTrue(r[0] >= 0 && r[1] <= MAX.toMillis(), "attempt " + attempt + ": " + r[0] + ".." + r[1]);
            assertTrue(r[1] >= MAX.toMillis() * 9 / 10, "attempt " + attempt + " greatest " + r[1]);
        }
    }

    @Test
    void aFirstOrUncountedAttemptWaitsAtMostTheBase() {
        for (int attempt : new int[] { 0, -3 }) {
            long[] r = range(attempt);
            assertTrue(r[0] >= 0 && r[1] <= 100 && r[1] >= 90, "attempt " + attempt + ": " + r[0] + ".." + r[1]);
        }
    }

    @Test
    void aCeilingOfOneMillisecondGivesZeroOrOne() {
        java.util.Set<Long> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(Backoff.delay(1, Duration.ofMillis(1), MAX).toMillis());
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(0L, 1L), seen, "both ends of [0, 1] are drawn");
    }
}
