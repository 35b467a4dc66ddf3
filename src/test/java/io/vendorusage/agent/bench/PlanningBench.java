package io.vendorusage.agent.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.outbox.EventRows;
import io.vendorusage.agent.outbox.NewEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vendorusage.agent.submission.LedgerService;
import io.vendorusage.agent.submission.SubmissionRepository;
import io.vendorusage.agent.submission.SubmitterService;
import io.vendorusage.agent.upstream.UsageReceipt;
import io.vendorusage.agent.testsupport.BenchProfile;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;
import jakarta.inject.Inject;

/**
 * Time to aggregate {@code bench.events} pending events (1,000,000 by default) spread over
 * {@code bench.groups} (organization, app, window) groups into records, in the database, and then to send
 * the records to a fast fake upstream with the rate limit raised. The events go in with the agent's own
 * JDBC insert ({@link EventRows}); the planning is the submitter's own. A second figure: confirming one record
 * that carries {@code bench.events} events (one row written, whatever its size). Not part of the suite:
 * {@code ./mvnw test -Pbench -Dtest=PlanningBench} (add {@code -Ppostgresql} and a datasource URL for
 * PostgreSQL). It prints its figures.
 */
@QuarkusTest
@TestProfile(PlanningBench.Profile.class)
class PlanningBench {

    static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    static final int GROUPS = Integer.getInteger("bench.groups", 1_000);

    public static class Profile extends BenchProfile {
        @Override
        protected Map<String, String> extraConfig() {
            return Map.of("agent.genesys.rate-limit-per-minute", "100000",
                    "agent.submission.concurrency", "8",
                    "agent.submission.batch-size", "10000",
                    "agent.submission.interval", "PT10M");
        }
    }

    @InjectWireMock
    WireMockServer wiremock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SubmitterService submitter;

    @Inject
    LedgerService ledger;

    @Inject
    SubmissionRepository submissions;

    @Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    /** The orgs of the last load. */
    private final List<String> orgs = new ArrayList<>();

    /** Inserts {@code events} events of one closed window spread over {@code groups} orgs; returns their id prefix. */
    private String load(int events, int groups) throws Exception {
        orgs.clear();
        orgs.addAll(TestEvents.newOrgs(groups));
        Instant occurred = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        Instant bucket = occurred.truncatedTo(ChronoUnit.HOURS);
        String run = "plan-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        EventRows rows = new EventRows();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<EventRows.Row> chunk = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                NewEvent e = new NewEvent(run + i, orgs.get(i % groups), TestEvents.SUM_APP,
                        BigDecimal.valueOf(1 + i % 7, 1), occurred, false);
                chunk.add(new EventRows.Row(e, bucket, occurred));
                if (chunk.size() == 10_000 || i == events - 1) {
                    rows.insert(c, chunk);
                    c.commit();
                    chunk.clear();
                }
            }
        }
        return run;
    }

    @Test
    void confirmARecordOfAMillionEvents() throws Exception {
        load(EVENTS, 1);
        long t0 = System.nanoTime();
        int planned = submitter.planDue(true);
        double planSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, planned);
        String id = QuarkusTransaction.requiringNew().call(() -> submissions.find("eventCount", EVENTS)
                .firstResult().id);
        ledger.claim(id, "bench").orElseThrow();
        long t1 = System.nanoTime();
        ledger.confirmed(id, new UsageReceipt(200, "u", "c", null));
        double confirmSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf("bench: a record of %,d events: planned in %.2f s, confirmed in %.3f s%n", EVENTS,
                planSeconds, confirmSeconds);
    }

    @Test
    void planAndSendAMillionEvents() throws Exception {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(post(urlPathMatching("/api/v2/billing/vendorusage/organizations/.*"))
                .willReturn(okJson("{\"id\":\"u\"}")));
        // every org's billing period turned at midnight ten days ago (BenchProfile's org detail)
        long t0 = System.nanoTime();
        String run = load(EVENTS, GROUPS);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;

        // the first pass of a new org reads its billing period (one detail GET each); later passes only plan
        long tp = System.nanoTime();
        periods.prepare(orgs);
        double periodSeconds = (System.nanoTime() - tp) / 1e9;
        int detailGets = wiremock.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathMatching("/api/v2/billing/vendorusage/organizations/[^/]+"))).size();

        long t1 = System.nanoTime();
        int planned = submitter.planDue(true);
        double planSeconds = (System.nanoTime() - t1) / 1e9;

        long t2 = System.nanoTime();
        submitter.flush(); // what POST /v1/submissions/flush runs, without an HTTP client's read timeout
        double sendSeconds = (System.nanoTime() - t2) / 1e9;
        int sent = wiremock.findAll(postRequestedFor(urlPathMatching("/api/v2/billing/vendorusage/organizations/.*")))
                .size();

        System.out.printf("bench: %,d events in %,d groups: loaded in %.1f s (%,.0f rows/s); billing periods of %d"
                + " orgs read in %.2f s (%d detail GETs); planned into %d records in %.2f s (%,.0f events/s) on the"
                + " orgs' own periods; %d records sent in %.2f s (%.0f records/s)%n", EVENTS, GROUPS, loadSeconds,
                EVENTS / loadSeconds, orgs.size(), periodSeconds, detailGets, planned, planSeconds,
                EVENTS / planSeconds, sent, sendSeconds, sent / sendSeconds);
        assertEquals(GROUPS, detailGets, "one detail GET per org and period");
        assertEquals(GROUPS, planned);
        assertEquals(GROUPS, sent);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM outbox_window WHERE has_backlog = TRUE)"
                        + " + (SELECT COUNT(*) FROM submission WHERE state <> 'CONFIRMED')")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "every event is in a confirmed record");
        }
    }
}
