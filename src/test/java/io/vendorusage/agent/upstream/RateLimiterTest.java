package io.vendorusage.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vendorusage.agent.config.AgentConfig;

/** The one gate of every upstream call, without Quarkus: a clock the test moves and a store kept in memory. */
class RateLimiterTest {

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** The stored block, in memory; it can be told to fail. */
    static final class MemoryStore extends ThrottleStore {
        final List<Instant> extended = new ArrayList<>();
        UpstreamThrottle stored;
        boolean failing;

        MemoryStore() {
            super(null);
        }

        @Override
        public Optional<UpstreamThrottle> load() {
            return Optional.ofNullable(stored);
        }

        @Override
        public void extend(Instant until, String reason) {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            extended.add(until);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final MemoryStore store = new MemoryStore();

    private RateLimiter limiter(int perMinute) {
        AgentConfig.Genesys genesys = (AgentConfig.Genesys) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { AgentConfig.Genesys.class }, (p, m, a) -> m.getName().equals("rateLimitPerMinute")
                        ? perMinute : null);
        AgentConfig config = (AgentConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { AgentConfig.class }, (p, m, a) -> m.getName().equals("genesys") ? genesys : null);
        return new RateLimiter(config, clock, store);
    }

    @Test
    void callsAreSpacedAtTheRateAndOneWithoutASlotInTimeIsRefused() {
        RateLimiter limiter = limiter(60); // a slot a second
        limiter.acquire(Duration.ZERO);
        UpstreamException.RateLimited refused = assertThrows(UpstreamException.RateLimited.class,
                () -> limiter.acquire(Duration.ofMillis(500)));
        assertTrue(refused.retryAfter().orElseThrow().compareTo(Duration.ofMillis(500)) > 0, refused.getMessage());
        assertTrue(refused.getMessage().contains("no slot within PT0.5S"), refused.getMessage());
        assertEquals(1, limiter.callsLastHour(), "a refused call is not counted");
        assertEquals(3600, limiter.budgetPerHour());
    }

    @Test
    void aCallWaitsForItsSlotWhenItMay() {
        RateLimiter limiter = limiter(600); // a slot every 100 ms
        limiter.acquire(Duration.ZERO);
        long t0 = System.nanoTime();
        limiter.acquire(Duration.ofSeconds(5));
        long waited = System.nanoTime() - t0;
        assertTrue(waited >= 80_000_000L, "waited " + waited + " ns for the next slot");
        assertEquals(2, limiter.callsLastHour());
    }

    @Test
    void aBlockHoldsEveryCallUntilItEndsIsStoredAndIsNeverShortened() {
        RateLimiter limiter = limiter(6000);
        Instant until = clock.now.plusSeconds(30);
        limiter.block(until, "HTTP 429");
        assertEquals(List.of(until), store.extended, "stored for the other agents");
        assertEquals(Optional.of(until), limiter.blockedUntil());
        assertEquals("HTTP 429", limiter.blockReason());
        UpstreamException.RateLimited held = assertThrows(UpstreamException.RateLimited.class,
                () -> limiter.acquire(Duration.ofMinutes(5)));
        assertEquals(Duration.ofSeconds(30), held.retryAfter().orElseThrow());
        assertTrue(held.getMessage().contains("held until " + until + " (HTTP 429)"), held.getMessage());
        limiter.block(clock.now.plusSeconds(5), "shorter");
        assertEquals(Optional.of(until), limiter.blockedUntil(), "a shorter block does not end a longer one");
        assertEquals("HTTP 429", limiter.blockReason());
        clock.now = until.minusNanos(1);
        assertThrows(UpstreamException.RateLimited.class, () -> limiter.acquire(Duration.ZERO));
        clock.now = until;
        assertEquals(Optional.empty(), limiter.blockedUntil(), "over at its instant");
        limiter.acquire(Duration.ZERO);
    }

    @Test
    void aBlockHoldsEvenWhenTheStoreCannotKeepIt() {
        RateLimiter limiter = limiter(6000);
        store.failing = true;
        limiter.block(clock.now.plusSeconds(10), "HTTP 429");
        assertTrue(limiter.blockedUntil().isPresent());
    }

    @Test
    void aStoredBlockOfAnotherAgentIsObeyedOnceRead() {
        RateLimiter limiter = limiter(6000);
        limiter.refresh();
        assertEquals(Optional.empty(), limiter.blockedUntil(), "nothing stored");
        UpstreamThrottle row = new UpstreamThrottle();
        row.id = UpstreamThrottle.GLOBAL;
        row.blockedUntil = clock.now.plusSeconds(90);
        row.reason = "spent window";
        store.stored = row;
        limiter.refresh();
        assertEquals(Optional.of(row.blockedUntil), limiter.blockedUntil());
        assertEquals("spent window", limiter.blockReason());
        assertTrue(store.extended.isEmpty(), "read, not written back");
    }

    @Test
    void theCallsOfTheLastHourAreCountedPerMinute() {
        RateLimiter limiter = limiter(60_000);
        for (int minute = 0; minute <= 60; minute++) {
            clock.now = clock.now.plusSeconds(minute == 0 ? 0 : 60);
            limiter.acquire(Duration.ofSeconds(1));
        }
        // 61 calls, one a minute, the last one now: the hour up to now holds the last 60
        assertEquals(60, limiter.callsLastHour());
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        assertEquals(30, limiter.callsLastHour());
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(0, limiter.callsLastHour());
    }

    /** Starts a call that waits for its slot (a second away) and returns once it is waiting. */
    private static Thread waitingCall(RateLimiter limiter, java.util.concurrent.atomic.AtomicReference<Throwable> ended,
            java.util.concurrent.atomic.AtomicBoolean interruptedAfter) throws Exception {
        Thread call = new Thread(() -> {
            try {
                limiter.acquire(Duration.ofSeconds(5));
            } catch (Throwable t) {
                ended.set(t);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        call.start();
        org.awaitility.Awaitility.await("the call waits for its slot").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(1)).until(() -> call.getState() == Thread.State.TIMED_WAITING);
        return call;
    }

    @Test
    void aBlockSetWhileACallWaitsForItsSlotStopsThatCall() throws Exception {
        RateLimiter limiter = limiter(60); // a slot a second
        limiter.acquire(Duration.ZERO);
        var ended = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread call = waitingCall(limiter, ended, new java.util.concurrent.atomic.AtomicBoolean());
        limiter.block(clock.now.plusSeconds(30), "HTTP 429");
        call.join(5000);
        assertTrue(ended.get() instanceof UpstreamException.RateLimited, "the waiting call was stopped: " + ended.get());
        assertTrue(ended.get().getMessage().contains("held until"), ended.get().getMessage());
    }

    @Test
    void anInterruptedWaitMakesNoCallAndKeepsTheInterrupt() throws Exception {
        RateLimiter limiter = limiter(60);
        limiter.acquire(Duration.ZERO);
        var ended = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread call = waitingCall(limiter, ended, interrupted);
        call.interrupt();
        call.join(5000);
        assertTrue(ended.get() instanceof UpstreamException.RateLimited, String.valueOf(ended.get()));
        assertTrue(ended.get().getMessage().contains("interrupted"), ended.get().getMessage());
        assertTrue(interrupted.get(), "the thread's interrupt is kept for its owner");
    }
}
