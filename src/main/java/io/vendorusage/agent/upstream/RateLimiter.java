package io.vendorusage.agent.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;

/**
 * The one gate every upstream call passes. Calls are spaced evenly at
 * {@code agent.genesys.rate-limit-per-minute} (so no window of a minute ever holds more), and none is
 * made while a block is in force: a {@code Retry-After}, or a rate-limit window the upstream reported
 * as spent. Blocks are stored, so other agents on the same store and a restarted agent obey them too.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    /** A Retry-After longer than this is a long (daily) limit. */
    public static final Duration LONG_LIMIT = Duration.ofSeconds(180);

    private final Clock clock;
    private final ThrottleStore store;
    private final long spacingNanos;
    private long nextFreeNanos = System.nanoTime();
    private volatile Instant blockedUntil = Instant.EPOCH;
    private volatile String blockReason = "";
    private final CallsPerHour spent = new CallsPerHour();
    private final int perMinute;

    public RateLimiter(AgentConfig config, Clock clock, ThrottleStore store) {
        this.clock = clock;
        this.store = store;
        this.spacingNanos = TimeUnit.MINUTES.toNanos(1) / config.genesys().rateLimitPerMinute();
        this.perMinute = config.genesys().rateLimitPerMinute();
    }

    /** @return the upstream calls this agent made in the last hour (counted per minute) */
    public long callsLastHour() {
        return spent.total(clock.instant());
    }

    /** @return the calls the budget allows in an hour */
    public long budgetPerHour() {
        return perMinute * 60L;
    }

    /** Calls per minute over the last sixty minutes, in a ring. */
    private static final class CallsPerHour {
        private final long[] minutes = new long[60];
        private final long[] counts = new long[60];

        synchronized void count(Instant now) {
            long minute = now.getEpochSecond() / 60;
            int slot = (int) (minute % 60);
            if (minutes[slot] != minute) {
                minutes[slot] = minute;
                counts[slot] = 0;
            }
            counts[slot]++;
        }

        synchronized long total(Instant now) {
            long minute = now.getEpochSecond() / 60;
            long total = 0;
            for (int i = 0; i < 60; i++) {
                if (minutes[i] > minute - 60 && minutes[i] <= minute) {
                    total += counts[i];
                }
            }
            return total;
        }
    }

    /**
     * Waits for the next free slot, at most {@code maxWait}.
     *
     * @throws UpstreamException.RateLimited when a block is in force or no slot frees up in time; no call
     *         may be made then
     */
    public void acquire(Duration maxWait) {
        failIfBlocked();
        long waitNanos;
        synchronized (this) {
            long t = System.nanoTime();
            long slot = Math.max(t, nextFreeNanos);
            waitNanos = slot - t;
            if (waitNanos > maxWait.toNanos()) {
                throw new UpstreamException.RateLimited(null, "local rate limit: no slot within " + maxWait, null,
                        Duration.ofNanos(waitNanos));
            }
            nextFreeNanos = slot + spacingNanos;
            spent.count(clock.instant());
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException.RateLimited(null, "interrupted while waiting for a slot", null, null);
            }
            // a block may have been set while this call waited for its slot (another call got a 429)
            failIfBlocked();
        }
    }

    private void failIfBlocked() {
        Instant now = clock.instant();
        Instant until = blockedUntil;
        if (now.isBefore(until)) {
            throw new UpstreamException.RateLimited(null, "upstream calls are held until " + until + " ("
                    + blockReason + ")", null, Duration.between(now, until));
        }
    }

    /** Holds every call until {@code until}; stored so every agent on this store obeys it. */
    public void block(Instant until, String reason) {
        adopt(until, reason);
        try {
            store.extend(until, reason);
        } catch (RuntimeException e) {
            LOG.warnf("Could not store the upstream block until %s: %s", until, e.toString());
        }
    }

    /** Re-reads the stored block (another agent, or this one before a restart, may have set it). */
    public void refresh() {
        store.load().ifPresent(t -> adopt(t.blockedUntil, t.reason));
    }

    /** @return the instant calls may resume, if a block is in force now */
    public java.util.Optional<Instant> blockedUntil() {
        Instant until = blockedUntil;
        return clock.instant().isBefore(until) ? java.util.Optional.of(until) : java.util.Optional.empty();
    }

    public String blockReason() {
        return blockReason;
    }

    private synchronized void adopt(Instant until, String reason) {
        if (until.isAfter(blockedUntil)) {
            blockedUntil = until;
            blockReason = reason;
            LOG.infof("Upstream calls held until %s: %s", until, reason);
        }
    }
}
