package io.vendorusage.agent.outbox;

import java.time.Duration;
import java.time.Instant;

/** Aggregation windows: fixed-length, aligned to the Unix epoch, so hours and days start on the UTC hour and day. */
public final class Buckets {

    private Buckets() {
    }

    /** @return the start of the window of length {@code bucket} that contains {@code instant} */
    public static Instant startOf(Instant instant, Duration bucket) {
        long size = bucket.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), size) * size);
    }
}
