package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vendorusage.agent.testsupport.TestEvents;

/** The operator API on the default test profile (no upstream credentials). */
@QuarkusTest
class OperatorApiTest {

    private static RequestSpecification admin() {
        return TestEvents.operator();
    }

    @Test
    void needsTheOperatorTokenAndNotTheIngestOne() {
        given().get("/v1/status").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).get("/v1/status").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).post("/v1/submissions/flush").then()
                .statusCode(401);
        admin().body(event(newId())).contentType("application/json").post("/v1/usage-events").then()
                .statusCode(401);
    }

    @Test
    void statusShowsBacklogLedgerAndUpstreamWithoutSecrets() {
        ingest().body(event(newId())).post("/v1/usage-events").then().statusCode(202);
        String body = admin().get("/v1/status").then().statusCode(200)
                .body("backlog.pendingEvents", greaterThanOrEqualTo(1))
                .body("backlog.oldestPendingAgeSeconds", notNullValue())
                .body("submissions.planned", notNullValue())
                .body("submissions.uncertain", notNullValue())
                .body("upstream.state", equalTo("not-configured"))
                .body("upstream.credentialsConfigured", equalTo(false))
                .body("upstream.circuitBreaker", equalTo("closed"))
                .extract().asString();
        assertFalse(body.contains(TestEvents.ADMIN_TOKEN));
        assertFalse(body.contains(TestEvents.INGEST_TOKEN));
    }

    @Test
    void flushWithoutCredentialsPlansButSendsNothing() {
        String org = java.util.UUID.randomUUID().toString();
        var event = event(newId());
        event.put("organizationId", org);
        ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        admin().post("/v1/submissions/flush").then().statusCode(200)
                .body("stoppedBecause", containsString("no upstream credentials"))
                .body("attempted", equalTo(0));
        // other tests' events are planned by the same flush: look at this one's record
        admin().get("/v1/submissions?state=planned&limit=1000").then().statusCode(200)
                .body("find { it.organizationId == '" + org + "' }.state", equalTo("planned"))
                .body("find { it.organizationId == '" + org + "' }.mode", equalTo("sum"));
    }

    @Test
    void refusesBadListParametersAndUnknownRecords() {
        admin().get("/v1/submissions?state=sideways").then().statusCode(400).body("detail", containsString("state"));
        admin().get("/v1/submissions?limit=0").then().statusCode(400);
        admin().get("/v1/submissions?limit=1001").then().statusCode(400);
        admin().post("/v1/submissions/{id}/retry", "sub-does-not-exist").then().statusCode(404);
    }

    @Test
    void sandboxIsOffByDefault() {
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .header("Authorization", "Basic eDp5").post("/sandbox/genesys/oauth/token").then().statusCode(404);
    }
}
