package io.vendorusage.agent.notify;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.submission.UsageThresholds;
import io.vendorusage.agent.testsupport.NotificationReceiver;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * Usage thresholds on each org's own billing period: one notification per threshold crossed, none again when the
 * same events are counted again (a restart, a second agent), none for the next period until it crosses there.
 */
@QuarkusTest
@TestProfile(UsageThresholdTest.Profile.class)
class UsageThresholdTest extends UpstreamTest {

    public static class Profile extends UpstreamProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("agent.apps.\"premium-minutes\".usage-thresholds", "100,1000");
            overrides.put("agent.apps.\"premium-seats\".usage-thresholds", "10");
            return overrides;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    NotificationReceiver receiver;

    @Inject
    UsageThresholds thresholds;

    @Inject
    NotificationStore store;

    /** The org's current period began at today's midnight (UTC): the hour before it is the previous period. */
    private Instant periodTurn() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        stubBillingPeriod(orgId, today.toString(), today.plusMonths(1).minusDays(1).toString(), 1);
        return today.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void usage(String app, Instant at, Object... quantities) {
        List<Map<String, Object>> batch = new java.util.ArrayList<>();
        for (Object q : quantities) {
            Map<String, Object> e = event(app, q);
            e.put("occurredAt", at.toString());
            batch.add(e);
        }
        ingest(batch);
    }

    /** @return the data of this org's threshold notifications, oldest first */
    private List<JsonNode> crossings() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT body FROM notification"
                + " WHERE subject = ?1 AND type = ?2 ORDER BY created_at, id", String.class).setParameter(1, orgId)
                .setParameter(2, NotificationType.USAGE_THRESHOLD_CROSSED.wireName()).getResultList()).stream()
                .map(b -> {
                    try {
                        return JSON.readTree((String) b).path("data");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList();
    }

    private void counted() {
        // the scheduled job counts too; a pass here makes the count happen now
        Awaitility.await("every window counted").atMost(Duration.ofSeconds(20)).until(() -> {
            thresholds.pass();
            return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT COUNT(*)"
                    + " FROM outbox_window WHERE organization_id = ?1 AND event_count > tallied_count")
                    .setParameter(1, orgId).getSingleResult()).longValue()) == 0;
        });
    }

    @Test
    void eachSumThresholdIsNotifiedOncePerOrgPeriod() {
        Instant turn = periodTurn();
        Instant previous = turn.minus(Duration.ofHours(1));
        Instant current = clock.instant().minusSeconds(60).isBefore(turn) ? turn : clock.instant().minusSeconds(60);
        usage(SUM_APP, previous, 60, 50);
        usage(SUM_APP, current, 60);
        counted();
        List<JsonNode> told = crossings();
        assertEquals(1, told.size(), told.toString());
        assertEquals("100", told.get(0).path("threshold").asText());
        assertEquals("110", told.get(0).path("usage").asText());
        assertEquals(turn.toString(), told.get(0).path("periodEnd").asText(), "the previous period's crossing");

        usage(SUM_APP, current, 40); // 100 in the current period: reaching counts
        counted();
        usage(SUM_APP, current, new BigDecimal("899.5"));
        counted();
        usage(SUM_APP, current, new BigDecimal("0.5")); // 1000 exactly
        counted();
        usage(SUM_APP, current, 7);
        counted();
        told = crossings();
        assertEquals(3, told.size(), told.toString());
        assertEquals("100", told.get(1).path("threshold").asText());
        assertEquals("100", told.get(1).path("usage").asText());
        assertEquals(turn.toString(), told.get(1).path("periodStart").asText());
        assertEquals("1000", told.get(2).path("threshold").asText());
        assertEquals("1000", told.get(2).path("usage").asText());
        assertEquals(orgId, told.get(2).path("organizationId").asText());
        assertEquals(SUM_APP, told.get(2).path("appId").asText());
        assertEquals("sum", told.get(2).path("mode").asText());

        // the same events counted again from scratch, as an agent that lost its progress would: nothing new is told
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE outbox_window SET tallied_count = 0 WHERE organization_id = ?1")
                    .setParameter(1, orgId).executeUpdate();
            em.createNativeQuery("DELETE FROM usage_tally WHERE organization_id = ?1").setParameter(1, orgId)
                    .executeUpdate();
        });
        counted();
        assertEquals(3, crossings().size(), "a crossing is told once per org, app, period and threshold");

        Awaitility.await("delivered to the receiver").atMost(Duration.ofSeconds(20)).until(() -> receiver.received()
                .stream().filter(r -> r.body().contains(orgId) && r.body().contains("threshold-crossed"))
                .map(NotificationReceiver.Received::id).distinct().count() == 3);
    }

    @Test
    void aHighWaterMarkThresholdCountsThePeakNotTheSum() {
        Instant turn = periodTurn();
        Instant current = clock.instant().minusSeconds(60).isBefore(turn) ? turn : clock.instant().minusSeconds(60);
        usage(PEAK_APP, current, 4, 9, 8);
        counted();
        assertTrue(crossings().isEmpty(), "a peak of 9 is under 10, although the values add up to 21");
        usage(PEAK_APP, current, 12);
        counted();
        usage(PEAK_APP, current, 15);
        counted();
        List<JsonNode> told = crossings();
        assertEquals(1, told.size(), told.toString());
        assertEquals("12", told.get(0).path("usage").asText());
        assertEquals("high-water-mark", told.get(0).path("mode").asText());
        assertEquals(0, new BigDecimal("10").compareTo(told.get(0).path("threshold").decimalValue()));
    }

    @Test
    void cancelledEventsDoNotCount() {
        periodTurn();
        Instant current = clock.instant().minusSeconds(60);
        Map<String, Object> big = event(SUM_APP, 95);
        big.put("occurredAt", current.toString());
        Map<String, Object> small = event(SUM_APP, 10);
        small.put("occurredAt", current.toString());
        ingest(List.of(big));
        io.vendorusage.agent.testsupport.TestEvents.ingest().delete("/v1/usage-events/{id}", big.get("eventId"))
                .then().statusCode(200);
        ingest(List.of(small));
        counted();
        assertTrue(crossings().isEmpty(), "95 was cancelled before it was counted: 10 stays under 100");
    }
}
