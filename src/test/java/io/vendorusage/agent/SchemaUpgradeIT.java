package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vendorusage.agent.submission.SubmissionIds;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * Upgrades over existing data. On PostgreSQL: an agent upgraded over a store written by the previous schema
 * (migrations V1 to V4: every event row with its own status) keeps everything the store still owed. The fixture holds pending events, a planned record with its
 * events, a confirmed record, two uncertain records (one the upstream billed, one it never got), a failed record
 * and a high-water-mark peak; after the upgrade the upstream bills exactly what the events say. On SQLite: an
 * agent started over a data directory that still holds the H2 file of a version before the SQLite store refuses
 * to start, names the file and says how to drain it, and writes nothing.
 */
class SchemaUpgradeIT {

    private static final String ADMIN = "upgrade-admin";
    private static final String SUM = TestEvents.SUM_APP;
    private static final String PEAK = TestEvents.PEAK_APP;

    private final String orgA = UUID.randomUUID().toString();
    private final String orgB = UUID.randomUUID().toString();
    private final String orgC = UUID.randomUUID().toString();
    private final String orgD = UUID.randomUUID().toString();
    /** A closed window in the current UTC month (the fake upstream reports the current month). */
    private final Instant window = latestOf(PeriodCalendar.unknown().periodOf(Instant.now()).start(),
            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS));
    private final Instant longAgo = Instant.now().minus(1, ChronoUnit.HOURS);

    private static Instant latestOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static boolean postgres() {
        return "postgresql".equals(System.getProperty("quarkus.datasource.db-kind"));
    }

    @Test
    void anAgentBesideTheOldH2StoreRefusesToStartAndSaysHowToDrainIt(@TempDir Path work) throws Exception {
        Assumptions.assumeFalse(postgres(), "the H2 store was the embedded one");
        Path old = work.resolve("data").resolve("vendorusage.mv.db");
        java.nio.file.Files.createDirectories(old.getParent());
        java.nio.file.Files.writeString(old, "an H2 store of an earlier version");
        try (AgentProcess agent = new AgentProcess(work, Map.of())) {
            agent.launch();
            int code = agent.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, code, "the agent must not run beside the old store");
            String log = agent.output();
            assertTrue(log.contains("Found the H2 store of an earlier vendorusage-agent at " + old.toAbsolutePath()),
                    log);
            assertTrue(log.contains("POST /v1/submissions/flush"), "says how to drain it: " + log);
        }
        assertFalse(java.nio.file.Files.exists(work.resolve("data").resolve("vendorusage.db")),
                "nothing is written beside the old store");
    }

    @Test
    void anUpgradedStoreBillsExactlyWhatItStillOwed(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(postgres(), "the schema before V5 only ever existed on PostgreSQL and H2");
        Map<String, String> settings = new LinkedHashMap<>();
        String schema = "upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        String user = System.getenv("QUARKUS_DATASOURCE_USERNAME");
        try (Connection c = DriverManager.getConnection(base, user, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        settings.put("quarkus.datasource.jdbc.url", url);
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration/postgresql").target("4")
                .load().migrate();

        try (FakeGenesys upstream = new FakeGenesys(Set.of(PEAK))) {
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                fillPreviousSchema(c, upstream);
            }
            settings.putAll(upstream.agentSettings(ADMIN));
            try (AgentProcess agent = new AgentProcess(work, settings)) {
                agent.start();
                admin(agent).post("/v1/submissions/flush").then().statusCode(200);
                // A: 6 pending + 9 planned + 4 confirmed; B: uncertain and billed; C: uncertain, never billed,
                // sent again; D: the peak 10 above the confirmed 8, the 5 covered
                Map<String, String> expected = Map.of(orgA + "/" + SUM, "19", orgB + "/" + SUM, "7",
                        orgC + "/" + SUM, "5", orgD + "/" + PEAK, "10");
                awaitTrue(() -> billed(upstream).equals(expected), () -> "billed " + billed(upstream));
                String failed = SubmissionIds.of(orgA, SUM, window, 3);
                admin(agent).get("/v1/submissions?state=failed").then().statusCode(200)
                        .body("id", org.hamcrest.Matchers.hasItem(failed));
                admin(agent).post("/v1/submissions/{id}/retry", failed).then().statusCode(200);
                admin(agent).post("/v1/submissions/flush").then().statusCode(200);
                Map<String, String> afterRetry = new java.util.HashMap<>(expected);
                afterRetry.put(orgA + "/" + SUM, "30");
                awaitTrue(() -> billed(upstream).equals(afterRetry), () -> "billed " + billed(upstream));
                for (String event : new String[] { "fx-a-pending-1", "fx-a-planned-1", "fx-a-confirmed-1",
                        "fx-b-uncertain", "fx-c-uncertain", "fx-a-failed", "fx-d-covered", "fx-d-peak" }) {
                    assertEquals("submitted", given().baseUri(agent.baseUrl())
                            .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                            .get("/v1/usage-events/{id}", event).then().statusCode(200).extract().path("status"),
                            event);
                }
                assertEquals(2, upstream.billed().stream().filter(b -> b.organizationId().equals(orgD)).count(),
                        "the old peak and the new one: the covered high-water-mark value sends nothing");
                assertEquals(1, upstream.billed().stream().filter(b -> b.organizationId().equals(orgB)).count(),
                        "the billed uncertain record is never sent again");
            }
        }
    }

    private static Map<String, String> billed(FakeGenesys upstream) {
        Map<String, String> totals = new java.util.TreeMap<>();
        upstream.totals().forEach((org, byApp) -> byApp.forEach((app, q) -> totals.put(org + "/" + app,
                q.stripTrailingZeros().toPlainString())));
        return totals;
    }

    private static io.restassured.specification.RequestSpecification admin(AgentProcess agent) {
        return given().baseUri(agent.baseUrl()).header("Authorization", "Bearer " + ADMIN);
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached in 60 s: " + what.get());
            }
            Thread.sleep(200);
        }
    }

    /** Rows in every state, as the previous version wrote them. */
    private void fillPreviousSchema(Connection c, FakeGenesys upstream) throws Exception {
        // A: pending events no record holds yet, a planned record, a confirmed one and a failed one
        event(c, "fx-a-pending-1", orgA, SUM, "1", "PENDING", null);
        event(c, "fx-a-pending-2", orgA, SUM, "2", "PENDING", null);
        event(c, "fx-a-pending-3", orgA, SUM, "3", "PENDING", null);
        String planned = record(c, orgA, SUM, 1, "SUM", "9", 2, "PLANNED", null);
        event(c, "fx-a-planned-1", orgA, SUM, "4", "PENDING", planned);
        event(c, "fx-a-planned-2", orgA, SUM, "5", "PENDING", planned);
        String confirmed = record(c, orgA, SUM, 2, "SUM", "4", 1, "CONFIRMED", longAgo);
        event(c, "fx-a-confirmed-1", orgA, SUM, "4", "SUBMITTED", confirmed);
        upstream.alreadyBilled(new FakeGenesys.Billed(orgA, SUM, new BigDecimal("4")));
        String failed = record(c, orgA, SUM, 3, "SUM", "11", 1, "FAILED", null);
        event(c, "fx-a-failed", orgA, SUM, "11", "FAILED", failed);
        // B and C: held as uncertain an hour ago; the upstream billed B's POST and never got C's
        String billedUncertain = record(c, orgB, SUM, 1, "SUM", "7", 1, "UNCERTAIN", null);
        event(c, "fx-b-uncertain", orgB, SUM, "7", "PENDING", billedUncertain);
        upstream.alreadyBilled(new FakeGenesys.Billed(orgB, SUM, new BigDecimal("7")));
        String lostUncertain = record(c, orgC, SUM, 1, "SUM", "5", 1, "UNCERTAIN", null);
        event(c, "fx-c-uncertain", orgC, SUM, "5", "PENDING", lostUncertain);
        // D: a confirmed peak of 8; pending values 5 (covered by it) and 10 (a new peak)
        String peak = record(c, orgD, PEAK, 1, "HIGH_WATER_MARK", "8", 1, "CONFIRMED", longAgo);
        event(c, "fx-d-old-peak", orgD, PEAK, "8", "SUBMITTED", peak);
        upstream.alreadyBilled(new FakeGenesys.Billed(orgD, PEAK, new BigDecimal("8")));
        event(c, "fx-d-covered", orgD, PEAK, "5", "PENDING", null);
        event(c, "fx-d-peak", orgD, PEAK, "10", "PENDING", null);
    }

    private void event(Connection c, String eventId, String org, String app, String quantity, String status,
            String submissionId) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox_event (id, event_id, organization_id,"
                + " app_id, quantity, occurred_at, occurred_at_defaulted, bucket_start, received_at, status,"
                + " submission_id, submitted_at, version) VALUES (nextval('outbox_event_seq'), ?, ?, ?, ?, ?, false,"
                + " ?, ?, ?, ?, ?, 0)")) {
            s.setString(1, eventId);
            s.setString(2, org);
            s.setString(3, app);
            s.setBigDecimal(4, new BigDecimal(quantity));
            s.setObject(5, utc(window.plusSeconds(60)));
            s.setObject(6, utc(window));
            s.setObject(7, utc(longAgo));
            s.setString(8, status);
            s.setString(9, submissionId);
            s.setObject(10, "SUBMITTED".equals(status) ? utc(longAgo) : null);
            s.executeUpdate();
        }
    }

    private String record(Connection c, String org, String app, int revision, String mode, String quantity,
            int events, String state, Instant confirmedAt) throws Exception {
        String id = SubmissionIds.of(org, app, window, revision);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO submission (id, organization_id, app_id,"
                + " bucket_start, revision, mode, quantity, event_count, state, attempts, next_attempt_at,"
                + " created_at, updated_at, confirmed_at, last_outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?,"
                + " ?, ?)")) {
            s.setString(1, id);
            s.setString(2, org);
            s.setString(3, app);
            s.setObject(4, utc(window));
            s.setInt(5, revision);
            s.setString(6, mode);
            s.setBigDecimal(7, new BigDecimal(quantity));
            s.setInt(8, events);
            s.setString(9, state);
            s.setObject(10, utc(longAgo));
            s.setObject(11, utc(longAgo));
            s.setObject(12, utc(longAgo));
            s.setObject(13, confirmedAt == null ? null : utc(confirmedAt));
            s.setString(14, state.toLowerCase(java.util.Locale.ROOT));
            s.executeUpdate();
        }
        return id;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
