package io.vendorusage.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.AgentProcess;
import io.vendorusage.agent.testsupport.FakeGenesys;
import io.vendorusage.agent.testsupport.NotificationReceiver;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * The packaged agent killed with SIGKILL while a notification is in flight (the receiver has the request and has
 * not answered): after a restart on the same store the same notification, under the same webhook-id and body, is
 * delivered again once the dead agent's lease has run out. Nothing told is lost to a crash.
 */
class NotificationCrashIT {

    private static final String ADMIN = "crash-admin";

    @Test
    void aDeliveryCutByAKillIsMadeAgainAfterTheRestart(@TempDir Path work) throws Exception {
        NotificationReceiver receiver = new NotificationReceiver();
        Map<String, String> notifications = receiver.start();
        try (FakeGenesys upstream = new FakeGenesys(Set.of(TestEvents.PEAK_APP))) {
            Map<String, String> config = upstream.agentSettings(ADMIN);
            config.putAll(notifications);
            config.put("agent.notifications.timeout", "PT5S"); // a lease of 15 s
            // only this type: the reconciliation running each second here would tell of drift too
            config.put("agent.notifications.types", "io.vendorusage.record.failed");
            String org = UUID.randomUUID().toString();
            upstream.script(org, FakeGenesys.Answer.REJECTED); // the record fails: io.vendorusage.record.failed
            receiver.hangFor(Duration.ofSeconds(60));
            receiver.answerNext(NotificationReceiver.HANG);

            AgentProcess first = new AgentProcess(work, config);
            first.start();
            Map<String, Object> event = TestEvents.event(TestEvents.newId());
            event.put("organizationId", org);
            given().baseUri(first.baseUrl()).header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                    .contentType(ContentType.JSON).body(List.of(event)).post("/v1/usage-events").then().statusCode(202);
            given().baseUri(first.baseUrl()).header("Authorization", "Bearer " + ADMIN)
                    .post("/v1/submissions/flush").then().statusCode(200);
            Awaitility.await("the notification in flight").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20)).until(() -> !of(receiver, org).isEmpty());
            first.killHard();
            AgentProcess.keepLog(work, "notification-crash-first");

            AgentProcess second = new AgentProcess(work, config);
            try {
                second.start();
                Awaitility.await("delivered again after the restart").atMost(Duration.ofSeconds(60))
                        .until(() -> of(receiver, org).stream().anyMatch(r -> r.answered() == 204));
                List<NotificationReceiver.Received> got = of(receiver, org);
                assertTrue(got.size() >= 2, receiver.received().toString());
                assertEquals(1, got.stream().map(NotificationReceiver.Received::id).distinct().count(),
                        "the same webhook-id: the receiver can tell it is the same notification");
                assertEquals(1, got.stream().map(NotificationReceiver.Received::body).distinct().count());
                assertTrue(got.get(0).body().contains("io.vendorusage.record.failed"), got.get(0).body());
                String state = given().baseUri(second.baseUrl()).header("Authorization", "Bearer " + ADMIN)
                        .queryParam("state", "delivered").get("/v1/notifications").then().statusCode(200).extract()
                        .path("find { it.id == '" + got.get(0).id() + "' }.state");
                assertEquals("delivered", state);
            } finally {
                second.close();
            }
        } finally {
            receiver.stop();
        }
    }

    private static List<NotificationReceiver.Received> of(NotificationReceiver receiver, String org) {
        return receiver.received().stream().filter(r -> r.body().contains(org)).toList();
    }
}
