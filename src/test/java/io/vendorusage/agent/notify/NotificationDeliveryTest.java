package io.vendorusage.agent.notify;

import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.submission.Submission;
import io.vendorusage.agent.submission.SubmissionState;
import io.vendorusage.agent.testsupport.NotificationReceiver;
import io.vendorusage.agent.testsupport.Scrape;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/**
 * Notifications against a real HTTP receiver on loopback: signed as Standard Webhooks specify, the same id and
 * body on every retry through a 500, a hang past the timeout and refused connections, delivered once the
 * receiver recovers, dropped past max-age, one agent holding each in flight.
 */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class NotificationDeliveryTest extends UpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the deliveries this suite received are kept for the independent signature check in .ci/run. */
    static final Path RECEIVED = Path.of("target", "notifications", "received.jsonl");

    NotificationReceiver receiver;

    @Inject
    NotificationStore store;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /**
     * A receiver that answers 204, and no pending notification of earlier tests left: one pass tries the oldest
     * due one and stops at a failure, so leftovers would share this test's attempts at a closed port.
     */
    @BeforeEach
    void freshReceiver() {
        receiver.reset();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE notification SET state = 'dropped'"
                + " WHERE state = 'pending'").executeUpdate());
    }

    private List<NotificationReceiver.Received> receivedFor(String org) {
        return receiver.received().stream().filter(r -> org.equals(subject(r))).toList();
    }

    private static String subject(NotificationReceiver.Received r) {
        return tree(r.body()).path("subject").asText();
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private JsonNode listed(String state) {
        String body = TestEvents.operator().queryParam("state", state).get("/v1/notifications").then().statusCode(200)
                .extract().asString();
        return tree(body);
    }

    private JsonNode listedFor(String id) {
        for (JsonNode n : tree(TestEvents.operator().get("/v1/notifications").then().statusCode(200).extract()
                .asString())) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("notification " + id + " is not listed");
    }

    private Submission failRecord() {
        stubUsage(400, "{\"message\":\"appId is not a metered app\",\"code\":\"bad.request\"}");
        ingest(List.of(event(SUM_APP, 3)));
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.FAILED, s.state);
        return s;
    }

    @Inject
    NotificationRetention retention;

    /** Writes a notification created {@code daysAgo} in this state, with one attempt, and returns its id. */
    private String written(int daysAgo, String state, String onceKey) {
        String id = "n-retention-" + UUID.randomUUID();
        Instant created = Instant.now().minus(Duration.ofDays(daysAgo));
        QuarkusTransaction.requiringNew().run(() -> {
            assertTrue(store.insert(id, NotificationType.RECORD_FAILED, TestEvents.ORG, "{}", onceKey, created));
            // not due for a year, so the delivery job never tries a pending one of this test
            em.createNativeQuery("UPDATE notification SET state = ?2, next_attempt_at = ?3 WHERE id = ?1")
                    .setParameter(1, id).setParameter(2, state).setParameter(3, OffsetDateTime.ofInstant(
                            Instant.now().plus(Duration.ofDays(365)), ZoneOffset.UTC)).executeUpdate();
            em.createNativeQuery("INSERT INTO notification_attempt (notification_id, attempt, attempted_at, agent,"
                    + " http_status, duration_ms) VALUES (?1, 1, ?2, 'test', 500, 3)").setParameter(1, id)
                    .setParameter(2, OffsetDateTime.ofInstant(created, ZoneOffset.UTC))
                    .executeUpdate();
        });
        return id;
    }

    private long rows(String table, String column, String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?1").setParameter(1, id)
                .getSingleResult()).longValue());
    }

    @Test
    void finishedNotificationsPastRetentionAreDeletedWithTheirAttemptsButNotPendingOrOnceKeyedOnes() {
        String oldDelivered = written(30, NotificationStore.DELIVERED, null);
        String oldDropped = written(30, NotificationStore.DROPPED, null);
        String oldPending = written(30, NotificationStore.PENDING, null);
        String oldOnceKeyed = written(30, NotificationStore.DELIVERED, "retention-test-" + oldDelivered);
        String recentDelivered = written(1, NotificationStore.DELIVERED, null);

        long purged = retention.purgeBefore(Instant.now().minus(Duration.ofDays(7)));

        assertTrue(purged >= 2, "purged " + purged);
        for (String gone : List.of(oldDelivered, oldDropped)) {
            assertEquals(0, rows("notification", "id", gone), gone);
            assertEquals(0, rows("notification_attempt", "notification_id", gone), gone);
        }
        for (String kept : List.of(oldPending, oldOnceKeyed, recentDelivered)) {
            assertEquals(1, rows("notification", "id", kept), kept);
            assertEquals(1, rows("notification_attempt", "notification_id", kept), kept);
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE notification SET state = 'dropped'"
                + " WHERE id = ?1").setParameter(1, oldPending).executeUpdate());
    }

    @Test
    void aFailedRecordIsNotifiedSignedAndKeepsItsIdThroughA500AHangAndRefusedConnections() throws Exception {
        double deliveredBefore = Scrape.of(metrics).valueOrZero(
                "vendorusage_notifications_total{outcome=\"delivered\",type=\"io.vendorusage.record.failed\"");
        receiver.answerNext(500, NotificationReceiver.HANG);
        Submission failed = failRecord();
        Awaitility.await("a 500 and a hang").atMost(Duration.ofSeconds(20)).until(() -> receivedFor(orgId).size() >= 2);
        String id = receivedFor(orgId).get(0).id();
        Awaitility.await("the agent gave up waiting").atMost(Duration.ofSeconds(20))
                .until(() -> listedFor(id).path("attempts").asInt() >= 2);
        receiver.refuse();
        Awaitility.await("attempts at a closed port").atMost(Duration.ofSeconds(20))
                .until(() -> listedFor(id).path("attempts").asInt() >= 4);
        JsonNode status = tree(TestEvents.operator().get("/v1/status").then().statusCode(200).extract().asString())
                .path("notifications");
        assertTrue(status.path("enabled").asBoolean(), status.toString());
        assertTrue(status.path("byState").path("pending").asLong() >= 1, status.toString());
        assertTrue(status.path("oldestPendingAgeSeconds").asDouble() > 0, status.toString());
        assertTrue(status.path("lastError").asText().contains("refused"), status.toString());
        assertEquals(receiver.url().substring(0, receiver.url().indexOf("/hooks")), status.path("receiver").asText(),
                "the receiver without its path (a webhook URL may carry a secret there)");
        assertFalse(status.toString().contains(receiver.secret().substring(6)), "the key never shows");
        receiver.recover();
        Awaitility.await("delivered once the receiver is back").atMost(Duration.ofSeconds(20))
                .until(() -> "delivered".equals(listedFor(id).path("state").asText()));

        List<NotificationReceiver.Received> got = receivedFor(orgId);
        assertEquals(List.of(500, 0, 204), got.stream().map(NotificationReceiver.Received::answered).toList(),
                "a 500, a hang, then (after refused connections) one delivery");
        for (NotificationReceiver.Received r : got) {
            assertEquals(id, r.id(), "the same webhook-id on every attempt");
            assertEquals(got.get(0).body(), r.body(), "the same body on every attempt");
            assertTrue(verifies(receiver.secret(), r), "signature of " + r);
            assertFalse(verifies("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), r),
                    "another key must not verify");
            long age = Instant.now().getEpochSecond() - Long.parseLong(r.timestamp());
            assertTrue(age >= 0 && age < 60, "webhook-timestamp is the attempt's time: " + r.timestamp());
            assertTrue(r.contentType().startsWith("application/cloudevents+json"), r.contentType());
        }
        JsonNode event = tree(got.get(0).body());
        assertEquals("1.0", event.path("specversion").asText());
        assertEquals(id, event.path("id").asText());
        assertEquals("io.vendorusage.record.failed", event.path("type").asText());
        assertEquals(orgId, event.path("subject").asText());
        assertTrue(event.path("source").asText().startsWith("urn:vendorusage-agent:"));
        assertEquals(failed.id, event.path("data").path("id").asText());
        assertEquals("failed", event.path("data").path("state").asText());
        assertEquals(400, event.path("data").path("lastHttpStatus").asInt());
        assertEquals(0, failed.quantity.compareTo(event.path("data").path("quantity").decimalValue()));

        JsonNode listed = listedFor(id);
        JsonNode attempts = listed.path("deliveryAttempts");
        assertEquals(listed.path("attempts").asInt(), attempts.size());
        assertEquals(500, attempts.get(0).path("httpStatus").asInt());
        assertTrue(attempts.get(1).path("httpStatus").isNull(), "no status for a hang: " + attempts.get(1));
        assertTrue(attempts.get(1).path("error").asText().contains("no answer"), attempts.get(1).toString());
        assertTrue(attempts.get(2).path("error").asText().contains("refused"), attempts.get(2).toString());
        assertEquals(204, attempts.get(attempts.size() - 1).path("httpStatus").asInt());
        assertTrue(Scrape.of(metrics).value("vendorusage_notifications_total{outcome=\"delivered\","
                + "type=\"io.vendorusage.record.failed\"") > deliveredBefore);
        keepForTheIndependentCheck(got);
    }

    @Test
    void anUncertainRecordIsNotified() {
        stubUsage(504, "{\"message\":\"gateway timeout\"}");
        ingest(List.of(event(SUM_APP, 5)));
        flush();
        assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !receivedFor(orgId).isEmpty());
        JsonNode event = tree(receivedFor(orgId).get(0).body());
        assertEquals("io.vendorusage.record.uncertain", event.path("type").asText());
        assertEquals("uncertain", event.path("data").path("state").asText());
        keepForTheIndependentCheck(receivedFor(orgId));
    }

    @Test
    void undeliveredPastMaxAgeIsDroppedAndCounted() {
        double droppedBefore = Scrape.of(metrics).valueOrZero(
                "vendorusage_notifications_total{outcome=\"dropped\",type=\"io.vendorusage.record.failed\"");
        receiver.refuse();
        // written a day and a minute ago (agent.notifications.max-age is P1D): its next failure is its last
        String id = "msg_old_" + TestEvents.newId().substring(4);
        QuarkusTransaction.requiringNew().run(() -> assertTrue(store.insert(id, NotificationType.RECORD_FAILED, orgId,
                "{}", null, clock.instant().minus(Duration.ofDays(1)).minusSeconds(60))));
        Awaitility.await("dropped").atMost(Duration.ofSeconds(20))
                .until(() -> "dropped".equals(listedFor(id).path("state").asText()));
        assertEquals(1, listedFor(id).path("attempts").asInt(), "one failed attempt past max-age, then no more");
        assertTrue(Scrape.of(metrics).value("vendorusage_notifications_total{outcome=\"dropped\","
                + "type=\"io.vendorusage.record.failed\"") > droppedBefore);
        receiver.recover();
        assertTrue(listed("dropped").findValuesAsText("id").contains(id));
        assertTrue(receivedFor(orgId).isEmpty(), "never delivered");
    }

    @Test
    void oneAgentAtATimeHoldsANotificationInFlight() {
        receiver.refuse(); // nothing is delivered meanwhile by the scheduled job
        String id = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            String created = "msg_lease_" + TestEvents.newId();
            assertTrue(store.insert(created, NotificationType.RECORD_FAILED, orgId, "{}", null, now.minusSeconds(1)));
            return created;
        });
        Instant now = clock.instant();
        boolean first = QuarkusTransaction.requiringNew()
                .call(() -> store.claim(id, "agent-a", now, now.plusSeconds(30)).isPresent());
        boolean second = QuarkusTransaction.requiringNew()
                .call(() -> store.claim(id, "agent-b", now, now.plusSeconds(30)).isPresent());
        assertTrue(first);
        assertFalse(second, "held by agent-a until its lease ends");
        Instant later = now.plusSeconds(31);
        assertTrue(QuarkusTransaction.requiringNew()
                .call(() -> store.claim(id, "agent-b", later, later.plusSeconds(30)).isPresent()),
                "a crashed holder's lease runs out and another agent takes it");
        // agent-a's late outcome no longer moves it
        QuarkusTransaction.requiringNew().run(() -> store.attempted(id, "agent-a", 1, now, 204, null, 5,
                NotificationStore.DELIVERED, now, now));
        NotificationStore.Row row = QuarkusTransaction.requiringNew()
                .call(() -> store.recent(java.util.Optional.empty(), 1000)).stream()
                .filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        assertEquals("pending", row.state());
        assertNull(row.finishedAt());
        receiver.recover();
    }

    @Test
    void aWrongStateIsAProblem() {
        TestEvents.operator().queryParam("state", "sent").get("/v1/notifications").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** The signature as an independent reader computes it from the spec. */
    static boolean verifies(String secret, NotificationReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        for (String part : r.signature().split(" ")) {
            if (part.equals("v1," + expected)) {
                return true;
            }
        }
        return false;
    }

    private void keepForTheIndependentCheck(List<NotificationReceiver.Received> deliveries) {
        try {
            Files.createDirectories(RECEIVED.getParent());
            StringBuilder lines = new StringBuilder();
            for (NotificationReceiver.Received r : deliveries) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("secret", receiver.secret());
                line.put("webhook-id", r.id());
                line.put("webhook-timestamp", r.timestamp());
                line.put("webhook-signature", r.signature());
                line.put("body", r.body());
                lines.append(JSON.writeValueAsString(line)).append('\n');
            }
            Files.writeString(RECEIVED, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (Exception e) {
            throw new AssertionError("cannot keep the deliveries", e);
        }
    }
}
