package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.StoreOutage;

/** The store goes away under a running agent and comes back: 503 meanwhile, nothing lost, self-healing. */
@QuarkusTest
@TestProfile(StoreOutageTest.OutageProfile.class)
class StoreOutageTest {

    public static class OutageProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agent.outbox.stats-interval", "PT1H");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(StoreOutage.class));
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void answers503WhileStoreIsDownAndRecoversWithoutLosingAcceptedEvents() {
        Assumptions.assumeTrue(StoreOutage.available(), "set VENDORUSAGE_TEST_PG_STOP/START to run on PostgreSQL");
        String before = newId();
        ingest().body(event(before)).post("/v1/usage-events").then().statusCode(202);

        StoreOutage.stopStore();
        String during = newId();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ingest().body(event(during))
                    .post("/v1/usage-events").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("correlationId", notNullValue()));
            given().get(ready).then().statusCode(503)
                    .body("checks.find { it.name == 'store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'store' }.data.reason", notNullValue());
        } finally {
            StoreOutage.startStore();
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(ready).then()
                .statusCode(200));
        ingest().get("/v1/usage-events/{id}", before).then().statusCode(200).body("status", equalTo("pending"));
        ingest().get("/v1/usage-events/{id}", during).then().statusCode(404);
        ingest().body(event(during)).post("/v1/usage-events").then().statusCode(202)
                .body("events[0].status", containsString("accepted"));
    }
}
