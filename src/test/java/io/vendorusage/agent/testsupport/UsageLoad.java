package io.vendorusage.agent.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.restassured.http.ContentType;

/**
 * A vendor app for the process-level tests: it posts batches of sum and high-water-mark events for a few
 * orgs to a running agent and resends each batch, same ids, until it gets a {@code 202} (through kills,
 * restarts and store outages). What it had accepted is what the upstream must end up billing, and
 * {@link #billedExactly} compares the two.
 */
public final class UsageLoad implements AutoCloseable {

    /** An accepted event: what the upstream must end up billing; {@code acceptedAt} is when its 202 arrived. */
    public record Sent(String eventId, String org, String app, BigDecimal quantity, Instant acceptedAt) {
    }

    private final List<String> orgs = new ArrayList<>();
    private final int maxBatch;
    private final long seed;
    private final List<Sent> accepted = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger resends = new AtomicInteger();
    /** Why the first batches had to be sent again: an answer's status and body, or the exception. */
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private Thread thread;
    /** What stopped the producer before {@link #stop()} asked it to: a load that died must fail its test. */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> died = new java.util.concurrent.atomic.AtomicReference<>();

    /** @param maxBatch batches hold 1 to {@code maxBatch} events */
    public UsageLoad(int orgCount, int maxBatch, long seed) {
        orgs.addAll(TestEvents.newOrgs(orgCount));
        this.maxBatch = maxBatch;
        this.seed = seed;
    }

    /** Starts posting; {@code target} names the agent for each attempt (several agents may share the work). */
    public UsageLoad start(Supplier<AgentProcess> target) {
        thread = new Thread(() -> {
            try {
                produce(target);
            } catch (Throwable e) {
                died.set(e);
            }
        }, "usage-load");
        thread.start();
        return this;
    }

    /**
     * Stops after the batch in hand has been accepted.
     *
     * @throws AssertionError when the producer died before (an unexpected answer) or does not stop
     */
    public void stop() throws InterruptedException {
        stop.set(true);
        if (thread != null) {
            thread.join(120_000);
            if (thread.isAlive()) {
                throw new AssertionError("the usage load did not stop within 120 s");
            }
        }
        Throwable cause = died.getAndSet(null); // reported once, not again by close()
        if (cause != null) {
            throw new AssertionError("the usage load died after " + accepted.size() + " accepted events", cause);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public List<String> orgs() {
        return orgs;
    }

    /** @return how many times a batch had to be sent again (no answer, or a 5xx) */
    public int resends() {
        return resends.get();
    }

    /** @return why the first (up to ten) resent batches were not accepted */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    public List<Sent> accepted() {
        return List.copyOf(accepted);
    }

    /** @return per org and app, what must be billed: sums for sum apps, peaks for the high-water-mark app */
    public Map<String, Map<String, BigDecimal>> expected() {
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (Sent s : accepted) {
            totals.computeIfAbsent(s.org(), k -> new TreeMap<>()).merge(s.app(), s.quantity(),
                    TestEvents.PEAK_APP.equals(s.app()) ? BigDecimal::max : BigDecimal::add);
        }
        totals.replaceAll((k, v) -> normalized(v));
        return totals;
    }

    /** @return whether the upstream bills exactly the accepted events of every org of this load */
    public boolean billedExactly(FakeGenesys upstream) {
        Map<String, Map<String, BigDecimal>> expected = expected();
        for (String org : orgs) {
            if (!expected.getOrDefault(org, Map.of()).equals(normalized(upstream.totals().getOrDefault(org, Map.of())))) {
                return false;
            }
        }
        return true;
    }

    /** Asserts {@link #billedExactly}, org by org, naming what differs. */
    public void assertBilledExactly(FakeGenesys upstream, AgentProcess agent, String adminToken) {
        Map<String, Map<String, BigDecimal>> expected = expected();
        for (String org : orgs) {
            assertEquals(expected.getOrDefault(org, Map.of()).toString(),
                    normalized(upstream.totals().getOrDefault(org, Map.of())).toString(),
                    "billed for org " + org + " (ledger: " + ledger(agent, adminToken, org) + ")");
        }
    }

    /** Asserts that no org and app was billed more than was accepted for it (nothing sent twice). */
    public void assertNeverBilledMore(FakeGenesys upstream) {
        Map<String, Map<String, BigDecimal>> expected = expected();
        for (String org : orgs) {
            Map<String, BigDecimal> accepted = expected.getOrDefault(org, Map.of());
            upstream.totals().getOrDefault(org, Map.of()).forEach((app, billed) -> assertTrue(
                    billed.compareTo(accepted.getOrDefault(app, BigDecimal.ZERO)) <= 0,
                    "org " + org + " app " + app + " billed " + billed + ", accepted " + accepted.get(app)));
        }
    }

    /**
     * @return totals match and no record of these orgs is still planned, in flight or uncertain, so no send
     *         is still to come
     */
    public boolean settled(AgentProcess agent, String adminToken, FakeGenesys upstream) {
        for (String state : List.of("planned", "sending", "uncertain")) {
            try {
                List<String> open = given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + adminToken)
                        .get("/v1/submissions?limit=1000&state=" + state).then().extract().jsonPath()
                        .getList("organizationId");
                if (open.stream().anyMatch(orgs::contains)) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return billedExactly(upstream);
    }

    /**
     * Asks the agent for every accepted event (several threads); an event it answers 404 for was
     * acknowledged and then lost by the store.
     *
     * @return the accepted events the agent no longer knows
     */
    public List<Sent> missingFromStore(AgentProcess agent) {
        return accepted.parallelStream().filter(e -> given().baseUri(agent.baseUrl())
                .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                .get("/v1/usage-events/" + e.eventId()).statusCode() == 404).toList();
    }

    public static Map<String, BigDecimal> normalized(Map<String, BigDecimal> byApp) {
        Map<String, BigDecimal> n = new TreeMap<>();
        byApp.forEach((k, v) -> n.put(k, v.stripTrailingZeros()));
        return n;
    }

    private static String ledger(AgentProcess agent, String adminToken, String org) {
        try {
            return given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + adminToken)
                    .get("/v1/submissions?limit=1000").then().extract().jsonPath()
                    .getList("findAll { it.organizationId == '" + org + "' }.collect { it.state + ':' + it.quantity }")
                    .toString();
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }

    private void produce(Supplier<AgentProcess> target) {
        Random random = new Random(seed);
        int n = 0;
        while (!stop.get()) {
            List<Map<String, Object>> batch = new ArrayList<>();
            List<Sent> sent = new ArrayList<>();
            for (int i = 1 + random.nextInt(maxBatch); i > 0; i--) {
                String org = orgs.get(random.nextInt(orgs.size()));
                String eventId = "load-" + seed + "-" + (n++) + "-" + UUID.randomUUID();
                String app = random.nextInt(4) == 0 ? TestEvents.PEAK_APP : TestEvents.SUM_APP;
                BigDecimal q = BigDecimal.valueOf(random.nextInt(10_000_000), 3);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("eventId", eventId);
                e.put("organizationId", org);
                e.put("appId", app);
                e.put("quantity", q);
                batch.add(e);
                sent.add(new Sent(eventId, org, app, q, null));
            }
            while (true) {
                try {
                    var response = given().baseUri(target.get().baseUrl()).contentType(ContentType.JSON)
                            .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(batch)
                            .post("/v1/usage-events");
                    if (response.statusCode() == 202) {
                        Instant at = Instant.now();
                        sent.forEach(x -> accepted.add(new Sent(x.eventId(), x.org(), x.app(), x.quantity(), at)));
                        break;
                    }
                    if (response.statusCode() < 500) {
                        throw new IllegalStateException("batch refused: " + response.asString());
                    }
                    noteRefusal(Instant.now() + " " + response.statusCode() + " " + response.asString());
                } catch (IllegalStateException refused) {
                    throw refused;
                } catch (Exception agentDown) { // RestAssured also throws checked I/O exceptions
                    // killed, restarting or its store is away: resend the same batch, same ids
                    noteRefusal(Instant.now() + " " + agentDown);
                }
                resends.incrementAndGet();
                awaitReady(target);
            }
        }
    }

    private void noteRefusal(String why) {
        synchronized (refusals) {
            if (refusals.size() < 10) {
                refusals.add(why);
            }
        }
    }

    /** Waits (with a deadline, then resends anyway) until the agent answers ready: restarted, store back. */
    private void awaitReady(Supplier<AgentProcess> target) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stop.get() || target.get().ready());
        } catch (ConditionTimeoutException stillDown) {
            noteRefusal(Instant.now() + " not ready within 60 s");
        }
    }
}
