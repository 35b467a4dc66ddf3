package io.vendorusage.agent.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^(attempt-1))]. */
public final class Backoff {

    private Backoff() {
    }

    public static Duration delay(int attempt, Duration base, Duration max) {
        int exponent = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
