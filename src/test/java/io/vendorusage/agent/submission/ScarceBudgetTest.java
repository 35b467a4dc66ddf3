package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * A rate budget too small for one record per window: one-minute windows and 2 upstream calls a minute, so the
 * budget sends 2 records per window. Due windows of one (org, app, billing period) then go up as one record, and
 * the status says how long the budget needs for what is planned.
 */
@QuarkusTest
@TestProfile(ScarceBudgetTest.Profile.class)
class ScarceBudgetTest extends UpstreamTest {

    public static class Profile extends UpstreamProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("agent.genesys.rate-limit-per-minute", "2");
            config.put("agent.submission.bucket", "PT1M");
            // shorter than the bucket it defaults to, so the trickle test moves the shared test clock only seconds
            config.put("agent.submission.max-hold", "PT10S");
            return config;
        }
    }

    @Inject
    SubmitterService submitter;

    @Inject
    io.vendorusage.agent.outbox.OutboxEventRepository events;

    /**
     * Takes this test's planned records and their events out of the shared store: at 2 calls a minute they would
     * take a minute to send, and process tests on a shared PostgreSQL flush whatever is planned.
     */
    @org.junit.jupiter.api.AfterEach
    void removePlannedRecords() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            events.delete("organizationId", orgId);
            submissions.delete("organizationId", orgId);
        });
    }

    @Inject
    io.vendorusage.agent.submission.period.BillingPeriods periods;

    /**
     * The agent already knows this org's period (the calendar month here): at 2 calls a minute, a detail GET would
     * have to wait for a rate slot, and planning would leave the org for a later pass.
     */
    @org.junit.jupiter.api.BeforeEach
    void periodKnown() {
        OrgPeriod month = PeriodCalendar.unknown().periodOf(clock.instant());
        learn(month.start(), month.end());
    }

    private void learn(Instant start, Instant end) {
        periods.learnt(orgId, new io.vendorusage.agent.upstream.OrganizationDetail(orgId, "us-east-1", start, end,
                Map.of()));
    }

        private Map<String, Object> at(String app, Object quantity, Instant occurredAt) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", occurredAt.toString());
        return e;
    }

    private static JsonPath status() {
        return TestEvents.operator().get("/v1/status").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void dueWindowsOfOneOrgAppAndPeriodGoUpAsOneRecordDatedAtTheEarliest() {
        Instant base = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        // the org's period began yesterday: the windows share it whatever the date
        Instant periodStart = base.minus(1, ChronoUnit.DAYS);
        learn(periodStart, PeriodCalendar.step(periodStart, 1));
        long dueBefore = status().getLong("drain.recordsDue");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int minute = 6; minute >= 2; minute--) {
            events.add(at(SUM_APP, new BigDecimal("1.25"), base.minus(minute, ChronoUnit.MINUTES)));
            events.add(at(PEAK_APP, minute, base.minus(minute, ChronoUnit.MINUTES).plusSeconds(30)));
        }
        ingest(events);

        submitter.planDue(true);

        List<Submission> records = records();
        assertEquals(2, records.size(), "one record per app for 5 windows each: " + records.size());
        Submission sum = records.stream().filter(r -> r.appId.equals(SUM_APP)).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("6.25").compareTo(sum.quantity));
        assertEquals(5, sum.eventCount);
        assertEquals(base.minus(6, ChronoUnit.MINUTES), sum.bucketStart, "dated at the earliest window");
        Submission peak = records.stream().filter(r -> r.appId.equals(PEAK_APP)).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("6").compareTo(peak.quantity), "the peak of the merged windows");

        JsonPath status = status();
        assertEquals(dueBefore + 2, status.getLong("drain.recordsDue"));
        // two records at 2 calls a minute: a minute of budget (plus any hold another test left)
        assertTrue(status.getDouble("drain.drainSeconds") >= (dueBefore + 2) * 30.0, status.prettify());
        assertTrue(!Instant.parse(status.getString("drain.oldestDuePeriodCloses")).isAfter(PeriodCalendar.step(periodStart,
                1)), "the oldest planned record's period closes by the org's period end: " + status.prettify());
    }

    @Test
    void mergedWindowsNeverCrossTheOrgsOwnPeriodTurn() {
        Instant base = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        // the org's period turns three minutes ago, inside the calendar month
        Instant turn = base.minus(3, ChronoUnit.MINUTES);
        learn(turn, PeriodCalendar.step(turn, 1));
        List<Map<String, Object>> events = new ArrayList<>();
        for (int minute = 6; minute >= 2; minute--) {
            events.add(at(SUM_APP, 1, base.minus(minute, ChronoUnit.MINUTES)));
        }
        ingest(events);

        submitter.planDue(true);

        List<Submission> records = records();
        assertEquals(2, records.size(), "one record per org period: " + records);
        Submission before = records.stream().filter(r -> r.bucketStart.isBefore(turn)).findFirst().orElseThrow();
        assertEquals(base.minus(6, ChronoUnit.MINUTES), before.bucketStart);
        assertEquals(0, new BigDecimal("3").compareTo(before.quantity), "the three windows before the turn");
        Submission after = records.stream().filter(r -> !r.bucketStart.isBefore(turn)).findFirst().orElseThrow();
        assertEquals(turn, after.bucketStart, "dated in the new period");
        assertEquals(0, new BigDecimal("2").compareTo(after.quantity), "the two windows after it");
    }

    @Test
    void withoutAKnownPeriodSumWindowsAreNotMerged() {
        // a fresh org whose detail could not be read a moment ago: its period is assumed until the retry
        String unknown = java.util.UUID.randomUUID().toString();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> submissions.getEntityManager()
                .createNativeQuery("INSERT INTO org_period_fetch (organization_id, next_fetch_at, failures, last_error)"
                        + " VALUES (?1, ?2, 1, 'HTTP 503')").setParameter(1, unknown)
                .setParameter(2, java.time.OffsetDateTime.ofInstant(clock.instant().plus(1, ChronoUnit.HOURS),
                        java.time.ZoneOffset.UTC))
                .executeUpdate());
        Instant base = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int minute = 4; minute >= 2; minute--) {
            Map<String, Object> e = at(SUM_APP, 1, base.minus(minute, ChronoUnit.MINUTES));
            e.put("organizationId", unknown);
            events.add(e);
        }
        ingest(events);

        submitter.planDue(true);

        List<Submission> records = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> submissions.list("organizationId", unknown));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            this.events.delete("organizationId", unknown);
            submissions.delete("organizationId", unknown);
        });
        assertEquals(3, records.size(), "one record per window: a merged one could cross the unknown turn");
        assertTrue(records.stream().allMatch(r -> r.periodSource == io.vendorusage.agent.submission.period
                .PeriodSource.ASSUMED));
    }

    @Test
    void aDueWindowStillFillingWaitsUntilItIsQuietUnlessItHasWaitedMaxHold() {
        Instant t0 = clock.instant();
        // one-minute windows, two minutes of grace: due from three minutes back; a replayed window of an hour
        // that closed long ago is due too, but its wait for quiet starts with its first event, not its due time
        Instant due = t0.minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        Instant replayed = t0.minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        ingest(List.of(at(SUM_APP, 1, due.plusSeconds(1)), at(SUM_APP, 2, replayed.plusSeconds(1))));
        BigDecimal sent = BigDecimal.ONE;

        submitter.planDue(false);
        assertEquals(List.of(), records(), "both windows still receive events: they wait for agent.submission.quiet"
                + " (PT5S)");

        clock.advance(java.time.Duration.ofSeconds(4));
        ingest(List.of(at(SUM_APP, 3, due.plusSeconds(2))));
        sent = sent.add(new BigDecimal("3"));
        submitter.planDue(false);
        assertEquals(List.of(), records(), "an event four seconds ago: not quiet yet");

        clock.advance(java.time.Duration.ofSeconds(2));
        submitter.planDue(false);
        assertEquals(List.of(replayed), records().stream().map(r -> r.bucketStart).toList(),
                "the replayed window has been quiet for 6 s, the other one for 2 s");

        // a steady trickle: never quiet, so the window goes up once it has waited max-hold (PT10S here) since its
        // first event
        while (records().size() == 1) {
            clock.advance(java.time.Duration.ofSeconds(4));
            ingest(List.of(at(SUM_APP, 1, due.plusSeconds(3))));
            sent = sent.add(BigDecimal.ONE);
            submitter.planDue(false);
            assertTrue(java.time.Duration.between(t0, clock.instant()).toSeconds() <= 14, "held past max-hold");
        }
        assertTrue(java.time.Duration.between(t0, clock.instant()).toSeconds() >= 10, "planned before max-hold");
        Submission record = records().stream().filter(r -> r.bucketStart.equals(due)).findFirst().orElseThrow();
        assertEquals(0, sent.compareTo(record.quantity), "every event of the trickle in one record");
    }
}
