package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys.Answer;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The ledger's invariants over random sequences of what happens to an org's usage: events (late ones
 * included, and client resends), submitter passes, every upstream outcome (billed, 429, billed then 504,
 * lost with 502, refused with 400), reconciliation runs and operator retries of failed records, for sum and
 * high-water-mark apps. One packaged agent and one fake upstream serve every try; each try is an org of its own.
 * <ul>
 * <li>At every step the upstream bills no more than the accepted events say (their sum; the peak).</li>
 * <li>Once the sequence drains (every POST answered, reconciliation run, failed records retried), it bills
 * exactly that, every event is {@code submitted}, and the confirmed records add up to the events (no event
 * counted in two records).</li>
 * </ul>
 * {@code -Djqwik.tries=N} sets the number of sequences (25 by default, in the pom).
 */
class LedgerPropertiesIT {

    private static final String ADMIN = "property-admin";
    private static final String SUM = TestEvents.SUM_APP;
    private static final String PEAK = TestEvents.PEAK_APP;

    private static FakeGenesys upstream;
    private static AgentProcess agent;
    private static Path work;

    /** One step of a sequence. */
    sealed interface Step permits Ingest, Resend, Pass, Reconcile, RetryFailed {
    }

    /** Events of one app, {@code hoursAgo} hours back (late ones when earlier windows were sent). */
    record Ingest(String app, int hoursAgo, List<BigDecimal> quantities) implements Step {
    }

    /** The client resends an earlier request (its events are duplicates). */
    record Resend(int which) implements Step {
    }

    /**
     * A submitter pass: everything pending is planned, what is due is sent; the upstream answers the first POSTs
     * of this org as {@code answers} say (the rest are billed), and answers left over apply to later passes.
     */
    record Pass(List<Answer> answers) implements Step {
    }

    record Reconcile() implements Step {
    }

    /** An operator sends failed records again. */
    record RetryFailed() implements Step {
    }

    @BeforeContainer
    static void startAgent() throws Exception {
        work = Files.createTempDirectory("ledger-properties");
        upstream = new FakeGenesys(Set.of(PEAK));
        Map<String, String> config = new LinkedHashMap<>(upstream.agentSettings(ADMIN));
        config.put("agent.submission.enabled", "false");
        config.put("agent.reconciliation.enabled", "false");
        config.put("agent.reconciliation.upstream-lag", "PT0S");
        config.put("agent.genesys.rate-limit-per-minute", "6000");
        config.put("agent.submission.retry-base", "PT0.01S");
        config.put("agent.submission.retry-max-delay", "PT0.05S");
        config.put("agent.submission.max-attempts", "3");
        // the breaker opens on runs of 5xx answers, as in production, but closes again within a try
        config.put("quarkus.fault-tolerance.\"io.vendorusage.agent.upstream.GuardedCalls/postUsage\".circuit-breaker.delay", "300");
        agent = new AgentProcess(work, config);
        agent.start();
    }

    @AfterContainer
    static void stopAgent() throws Exception {
        if (upstream != null) {
            System.out.println("ledger properties: upstream answers " + upstream.answers());
        }
        if (agent != null) {
            agent.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<BigDecimal> quantity = Arbitraries.bigDecimals().between(new BigDecimal("0.000001"),
                new BigDecimal("1000")).ofScale(6).withoutEdgeCases();
        Arbitrary<Step> ingest = Combinators.combine(Arbitraries.frequency(net.jqwik.api.Tuple.of(2, SUM),
                net.jqwik.api.Tuple.of(1, PEAK)), Arbitraries.integers().between(1, 4),
                quantity.list().ofMinSize(1).ofMaxSize(4)).as(Ingest::new);
        Arbitrary<Step> pass = Arbitraries.of(Answer.class).list().ofMinSize(1).ofMaxSize(3).map(Pass::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, ingest),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 50).map(Resend::new)),
                net.jqwik.api.Tuple.of(4, pass),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Reconcile())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new RetryFailed())));
        // every sequence also meets an unknown outcome of a sum POST somewhere: the hardest case for billing
        Arbitrary<List<Step>> unknownOutcome = Combinators.combine(Arbitraries.integers().between(1, 4),
                quantity.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(Answer.BILLED_THEN_504, Answer.LOST_502))
                .as((hours, quantities, answer) -> List.of(new Ingest(SUM, hours, quantities),
                        new Pass(List.of(answer))));
        return Combinators.combine(step.list().ofMinSize(2).ofMaxSize(30), unknownOutcome,
                Arbitraries.integers().between(0, 30)).as((steps, hard, at) -> {
                    List<Step> all = new ArrayList<>(steps);
                    all.addAll(Math.min(at, steps.size()), hard);
                    return all;
                });
    }

    /**
     * When the org's current billing period began: whole hours back (periods turn at a midnight, and the one-hour
     * windows never straddle a turn), often within the events' few hours, else anywhere in the last four weeks;
     * its day of month is the org's anchor.
     */
    @Provide
    Arbitrary<Integer> periodBegan() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 27 * 24)));
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    void theUpstreamBillsExactlyWhatTheEventsSay(@ForAll("sequences") List<Step> steps,
            @ForAll("periodBegan") int hoursBack) throws Exception {
        String org = UUID.randomUUID().toString();
        upstream.anchor(org, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hoursBack, ChronoUnit.HOURS));
        Expected expected = new Expected();
        List<List<Map<String, Object>>> requests = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Ingest i) {
                List<Map<String, Object>> request = new ArrayList<>();
                Instant at = occurredAt(org, i.hoursAgo());
                for (BigDecimal q : i.quantities()) {
                    Map<String, Object> e = TestEvents.event(TestEvents.newId());
                    e.put("organizationId", org);
                    e.put("appId", i.app());
                    e.put("quantity", q);
                    e.put("occurredAt", at.toString());
                    request.add(e);
                    expected.add(i.app(), q, (String) e.get("eventId"));
                }
                ingest(request);
                requests.add(request);
            } else if (step instanceof Resend r) {
                if (!requests.isEmpty()) {
                    ingest(requests.get(r.which() % requests.size()));
                }
            } else if (step instanceof Pass p) {
                p.answers().forEach(a -> upstream.script(org, a));
                admin().post("/v1/submissions/flush").then().statusCode(200);
            } else if (step instanceof Reconcile) {
                admin().post("/v1/reconciliation/run").then().statusCode(200);
            } else if (step instanceof RetryFailed) {
                retryFailed(org);
            }
            expected.assertNeverBilledMore(org);
        }
        drain(org, expected);
        expected.assertBilledExactly(org);
        for (String eventId : expected.eventIds) {
            assertEquals("submitted", given().baseUri(agent.baseUrl())
                    .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).get("/v1/usage-events/{id}", eventId)
                    .then().statusCode(200).extract().path("status"), eventId);
        }
        BigDecimal confirmedSum = records(org, "confirmed").stream().filter(r -> SUM.equals(r.get("appId")))
                .map(r -> new BigDecimal(r.get("quantity").toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, expected.sum.compareTo(confirmedSum), "confirmed sum records " + confirmedSum);
        List<FakeGenesys.Given> answers = upstream.scriptedAnswers(org);
        Statistics.label("a sum POST's outcome was unknown (uncertain, settled by reconciliation)").collect(answers
                .stream().anyMatch(g -> SUM.equals(g.appId()) && (g.answer() == Answer.BILLED_THEN_504
                        || g.answer() == Answer.LOST_502)));
        Statistics.label("a POST was refused (failed, retried by an operator)").collect(answers.stream()
                .anyMatch(g -> g.answer() == Answer.REJECTED));
        // the sequences must reach the hard cases, or the property proves little
        Statistics.label("a sum POST's outcome was unknown (uncertain, settled by reconciliation)")
                .coverage(c -> c.check(true).count(n -> n > 0));
    }

    /** Every POST answered as billed from now on; passes, reconciliation and retries until nothing is open. */
    private static void drain(String org, Expected expected) throws InterruptedException {
        upstream.clearScript(org);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            retryFailed(org);
            admin().post("/v1/submissions/flush").then().statusCode(200);
            admin().post("/v1/reconciliation/run").then().statusCode(200);
            boolean open = false;
            for (String state : List.of("planned", "sending", "uncertain", "failed")) {
                open |= !records(org, state).isEmpty();
            }
            if (!open && expected.billedExactly(org)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not drained in 60 s: billed " + upstream.totals().get(org) + ", expected "
                        + expected.sum + " / " + expected.peak + "; ledger " + records(org, null));
            }
            Thread.sleep(100); // a Retry-After hold of the fake lasts a second
        }
    }

    private static void retryFailed(String org) {
        for (Map<String, Object> r : records(org, "failed")) {
            admin().post("/v1/submissions/{id}/retry", r.get("id")).then().statusCode(200);
        }
    }

    private static List<Map<String, Object>> records(String org, String state) {
        List<Map<String, Object>> all = admin().get("/v1/submissions?limit=1000" + (state == null ? "" : "&state="
                + state)).then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(r -> org.equals(r.get("organizationId"))).toList();
    }

    private static Instant occurredAt(String org, int hoursAgo) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hoursAgo, ChronoUnit.HOURS).plusSeconds(60);
        Instant periodStart = upstream.periodOf(org, Instant.now())[0];
        // the usage queries report the org's current period, and reconciliation settles that one: keep every event
        // in it
        return at.isBefore(periodStart) ? periodStart : at;
    }

    private static void ingest(List<Map<String, Object>> request) {
        given().baseUri(agent.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).body(request)
                .post("/v1/usage-events").then().statusCode(202);
    }

    private static RequestSpecification admin() {
        // quantities as BigDecimal: a float would round them
        return given().config(io.restassured.config.RestAssuredConfig.config().jsonConfig(
                io.restassured.config.JsonConfig.jsonConfig().numberReturnType(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                .baseUri(agent.baseUrl()).header("Authorization", "Bearer " + ADMIN);
    }

    /** What the accepted events of one org say the upstream bills. */
    private static final class Expected {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal peak;
        final List<String> eventIds = new ArrayList<>();

        void add(String app, BigDecimal quantity, String eventId) {
            eventIds.add(eventId);
            if (SUM.equals(app)) {
                sum = sum.add(quantity);
            } else {
                peak = peak == null ? quantity : peak.max(quantity);
            }
        }

        private Map<String, BigDecimal> billed(String org) {
            return new HashMap<>(upstream.totals().getOrDefault(org, Map.of()));
        }

        boolean billedExactly(String org) {
            Map<String, BigDecimal> billed = billed(org);
            return sum.compareTo(billed.getOrDefault(SUM, BigDecimal.ZERO)) == 0
                    && (peak == null ? !billed.containsKey(PEAK) : peak.compareTo(billed.getOrDefault(PEAK,
                            BigDecimal.ZERO)) == 0);
        }

        void assertBilledExactly(String org) {
            assertTrue(billedExactly(org), "billed " + billed(org) + ", events say sum " + sum + ", peak " + peak);
        }

        void assertNeverBilledMore(String org) {
            Map<String, BigDecimal> billed = billed(org);
            assertTrue(billed.getOrDefault(SUM, BigDecimal.ZERO).compareTo(sum) <= 0, "billed " + billed
                    + " above the events' sum " + sum);
            assertTrue(!billed.containsKey(PEAK) || peak != null && billed.get(PEAK).compareTo(peak) <= 0,
                    "billed " + billed + " above the events' peak " + peak);
        }
    }
}
