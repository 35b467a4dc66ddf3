package io.vendorusage.agent.ingest;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vendorusage.agent.testsupport.TestEvents;

@QuarkusTest
class IngestHttpContractTest {

    @Test
    void refusesMissingToken() {
        String id = newId();
        given().contentType(ContentType.JSON).body(event(id)).post("/v1/usage-events").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json");
        ingest().get("/v1/usage-events/{id}", id).then().statusCode(404);
    }

    @Test
    void refusesWrongTokenAndOtherSchemes() {
        for (String header : List.of("Bearer wrong", "Bearer test-ingest-token-x", "Basic dGVzdA==",
                "Bearer " + TestEvents.ADMIN_TOKEN, "test-ingest-token")) {
            given().contentType(ContentType.JSON).header("Authorization", header).body(event(newId()))
                    .post("/v1/usage-events").then().statusCode(401);
        }
    }

    @Test
    void lookupNeedsTokenToo() {
        given().get("/v1/usage-events/{id}", "anything").then().statusCode(401);
    }

    @Test
    void refusesBodyOverOneMebibyteWith413() {
        String padding = "x".repeat(1024 * 1024);
        String body = "{\"eventId\":\"" + newId() + "\",\"appId\":\"" + padding + "\"}";
        ingest().body(body).post("/v1/usage-events").then().statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void refusesMoreThanThousandEventsWith413() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            events.add(event(newId()));
        }
        ingest().body(events).post("/v1/usage-events").then().statusCode(413)
                .body("detail", containsString("1001"));
        ingest().get("/v1/usage-events/{id}", events.get(0).get("eventId")).then().statusCode(404);
    }

    @Test
    void acceptsExactlyThousandEvents() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(event(newId()));
        }
        ingest().body(events).post("/v1/usage-events").then().statusCode(202).body("accepted", equalTo(1000));
    }

    @Test
    void refusesNonJsonContentTypeWith415() {
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).contentType(ContentType.TEXT)
                .body("eventId=1").post("/v1/usage-events").then().statusCode(415)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).contentType("application/xml")
                .body("<e/>").post("/v1/usage-events").then().statusCode(415);
    }

    @Test
    void lookupShowsStoredEventAndPendingStatus() {
        String id = newId();
        Map<String, Object> event = event(id);
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        ingest().get("/v1/usage-events/{id}", id).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("eventId", equalTo(id))
                .body("organizationId", equalTo(TestEvents.ORG))
                .body("appId", equalTo(TestEvents.SUM_APP))
                .body("quantity", equalTo(3))
                .body("occurredAt", equalTo(event.get("occurredAt")))
                .body("status", equalTo("pending"))
                .body("submissionId", nullValue());
    }

    @Test
    void lookupOfUnknownEventIs404Problem() {
        ingest().get("/v1/usage-events/{id}", newId()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void problemsNeverLeakClassNames() {
        String body = ingest().body("{\"eventId\": [").post("/v1/usage-events").then().statusCode(400)
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("com.fasterxml"), body);
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("Exception"), body);
    }
}
