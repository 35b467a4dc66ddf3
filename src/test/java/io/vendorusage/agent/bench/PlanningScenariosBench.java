package io.vendorusage.agent.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.outbox.EventRows;
import io.vendorusage.agent.outbox.NewEvent;
import io.vendorusage.agent.submission.DrainEstimate;
import io.vendorusage.agent.submission.SubmissionRepository;
import io.vendorusage.agent.testsupport.BenchProfile;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * How many POSTs the submitter spends, with the defaults a vendor runs (300 calls a minute, one-hour windows),
 * the submitter on a one-second timer and no grace, as a backfill of closed hours looks:
 * <ol>
 * <li>a backfill: 100,000 events for 100 (org, app) pairs of one closed hour, posted in 1000-event requests by 4
 * clients at once, every request carrying events of every pair;</li>
 * <li>a high-water-mark pair reported hourly for a day with three new peaks;</li>
 * <li>a 10-hour backlog of 2,000 (org, app) pairs (after an outage): records and the drain time at the budget.</li>
 * </ol>
 * Not part of the suite: {@code ./mvnw test -Pbench -Dtest=PlanningScenariosBench} ({@code -Dbench.quiet=PT0S} for the
 * submitter without {@code agent.submission.quiet}). It prints its figures.
 */
@QuarkusTest
@TestProfile(PlanningScenariosBench.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanningScenariosBench {

    public static class Profile extends BenchProfile {
        @Override
        protected Map<String, String> extraConfig() {
            return Map.of("agent.submission.enabled", "true", "agent.submission.interval", "PT1S",
                    "agent.submission.grace", "PT0S",
                    "agent.submission.quiet", System.getProperty("bench.quiet", "PT5S"));
        }
    }

    private static final String USAGE = "/api/v2/billing/vendorusage/organizations/";

    @InjectWireMock
    WireMockServer wiremock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SubmissionRepository submissions;

    @Inject
    DrainEstimate drain;

    private int posts(Set<String> orgs) {
        return (int) wiremock.findAll(postRequestedFor(urlPathMatching(USAGE + ".*"))).stream()
                .filter(r -> orgs.contains(r.getUrl().substring(USAGE.length()))).count();
    }

    @Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    /** Stores the billing period BenchProfile's org detail names for each org, as if read before. */
    private void knowPeriods(List<String> orgs) {
        Instant periodStart = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(10)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        io.vendorusage.agent.upstream.OrganizationDetail detail = new io.vendorusage.agent.upstream.OrganizationDetail(
                "o", "us-east-1", periodStart, io.vendorusage.agent.submission.period.PeriodCalendar.step(periodStart, 1),
                Map.of());
        for (String org : orgs) {
            periods.learnt(org, detail);
        }
    }

    private long open(Set<String> orgs) {
        return QuarkusTransaction.requiringNew().call(() -> submissions.count(
                "organizationId in ?1 and state <> ?2", orgs,
                io.vendorusage.agent.submission.SubmissionState.CONFIRMED));
    }

    private long unassigned(Set<String> orgs) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) submissions.getEntityManager()
                .createNativeQuery("SELECT COUNT(*) FROM outbox_window WHERE has_backlog = TRUE AND organization_id"
                        + " IN (:orgs)").setParameter("orgs", orgs).getSingleResult()).longValue());
    }

    @Test
    @Order(1)
    void backfillOfAClosedHour() throws Exception {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(post(urlPathMatching(USAGE + ".*")).willReturn(okJson("{\"id\":\"u\"}")));
        List<String> orgs = TestEvents.newOrgs(100);
        // existing customers replayed after the vendor's outage: the agent knows their billing periods, so
        // planning never waits for a detail GET and the windows' own timing decides the POSTs
        knowPeriods(orgs);
        // an hour of yesterday, long past due and past max-hold: a replay after the vendor's own outage
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.DAYS);
        long t0 = System.nanoTime();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            sent.add(clients.submit(() -> {
                for (int request = client; request < 100; request += 4) {
                    List<Map<String, Object>> events = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        Map<String, Object> e = TestEvents.event(TestEvents.newId());
                        // every request carries ten events of every pair: each window fills over the whole load
                        e.put("organizationId", orgs.get(i % 100));
                        e.put("appId", TestEvents.SUM_APP);
                        e.put("quantity", 1);
                        e.put("occurredAt", hour.plusSeconds(request * 30L + i % 30).toString());
                        events.add(e);
                    }
                    TestEvents.ingest().body(events).post("/v1/usage-events").then().statusCode(202);
                }
            }));
        }
        for (var f : sent) {
            f.get();
        }
        clients.shutdown();
        double loaded = (System.nanoTime() - t0) / 1e9;
        Set<String> all = Set.copyOf(orgs);
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> unassigned(all) == 0 && open(all) == 0);
        System.out.printf("bench: backfill of an hour of yesterday: 100,000 events for 100 pairs in 1000-event requests by"
                + " 4 clients (posted in %.1f s), quiet %s: %d POSTs for 100 windows, all confirmed %.1f s after the"
                + " first request%n", loaded, System.getProperty("bench.quiet", "PT5S"), posts(all),
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(2)
    void highWaterMarkDayWithThreeNewPeaks() {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(post(urlPathMatching(USAGE + ".*")).willReturn(okJson("{\"id\":\"u\"}")));
        int[] hourly = { 5, 3, 5, 4, 7, 7, 2, 6, 1, 7, 3, 9, 9, 8, 4, 2, 5, 6, 9, 1, 3, 2, 8, 9 };
        String org = UUID.randomUUID().toString();
        Instant first = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(25, ChronoUnit.HOURS);
        Set<String> orgs = Set.of(org);
        for (int h = 0; h < hourly.length; h++) {
            Map<String, Object> e = TestEvents.event(TestEvents.newId());
            e.put("organizationId", org);
            e.put("appId", TestEvents.PEAK_APP);
            e.put("quantity", hourly[h]);
            e.put("occurredAt", first.plus(h, ChronoUnit.HOURS).plusSeconds(60).toString());
            TestEvents.ingest().body(List.of(e)).post("/v1/usage-events").then().statusCode(202);
        }
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> unassigned(orgs) == 0 && open(orgs) == 0);
        boolean oneMonth = io.vendorusage.agent.submission.period.PeriodCalendar.unknown().periodOf(first)
                .equals(io.vendorusage.agent.submission.period.PeriodCalendar.unknown().periodOf(first.plus(23, ChronoUnit.HOURS)));
        System.out.printf("bench: a high-water-mark pair reported hourly for a day with 3 new peaks: %d POSTs"
                + " (24 windows%s)%n", posts(orgs), oneMonth ? "" : ", across a month boundary");
    }

    @Test
    @Order(3)
    void tenHourBacklogOf2000Pairs() throws Exception {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(post(urlPathMatching(USAGE + ".*")).willReturn(okJson("{\"id\":\"u\"}")));
        List<String> orgs = TestEvents.newOrgs(2000);
        Instant last = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        Map<io.vendorusage.agent.submission.period.OrgPeriod, Integer> monthsPerPair = new HashMap<>();
        EventRows rows = new EventRows();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<EventRows.Row> batch = new ArrayList<>();
            for (int h = 0; h < 10; h++) {
                Instant window = last.minus(h, ChronoUnit.HOURS);
                monthsPerPair.merge(io.vendorusage.agent.submission.period.PeriodCalendar.unknown().periodOf(window), 1, Integer::sum);
                for (String org : orgs) {
                    batch.add(new EventRows.Row(new NewEvent(TestEvents.newId(), org, TestEvents.SUM_APP,
                            BigDecimal.ONE, window.plusSeconds(60), false), window, Instant.now()));
                }
            }
            rows.insert(c, batch);
            c.commit(); // all at once, as after an outage: the next pass finds 20,000 due windows
        }
        // the agent ran before the outage: it knows these orgs' billing periods (the detail's, read once each)
        knowPeriods(orgs);
        Set<String> all = Set.copyOf(orgs);
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> unassigned(all) == 0);
        long records = QuarkusTransaction.requiringNew().call(() -> submissions.count("organizationId in ?1", all));
        DrainEstimate.Drain d = drain.current();
        double before = 20_000 * 60.0 / 300;
        System.out.printf("bench: a 10-hour backlog of 2,000 pairs (20,000 windows, %d billing month(s)): one POST"
                + " per window would be 20,000 POSTs, %.0f s at 300/min; planned %d records, drain estimate %.0f s%n",
                monthsPerPair.size(), before, records, d.drainSeconds());
    }
}
