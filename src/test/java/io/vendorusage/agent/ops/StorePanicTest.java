package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The embedded H2 database shuts itself down in a panic (it does so after an OutOfMemoryError or a
 * failed file write) while the agent holds pooled connections to it. Those connections still call
 * themselves valid but fail every statement with "The database has been closed": the pool must notice
 * and open the file again, so ingest comes back by itself and nothing committed before is lost.
 */
@QuarkusTest
@TestProfile(StorePanicTest.PanicProfile.class)
class StorePanicTest {

    /** Its own application: the panic must not reach the connections of other tests. */
    public static class PanicProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.min-size", "4");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void afterH2ShutsDownInAPanicTheAgentReopensItsStoreAndKeepsWhatItAccepted() throws SQLException {
        Assumptions.assumeTrue("h2".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind",
                String.class)), "an H2 panic is about the embedded store");
        String before = newId();
        ingest().body(event(before)).post("/v1/usage-events").then().statusCode(202);

        try (Connection c = dataSource.getConnection()) {
            ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase()
                    .shutdownImmediately();
        }

        String after = newId();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ingest().body(event(after))
                .post("/v1/usage-events").then().statusCode(202));
        given().get(ready).then().statusCode(200);
        ingest().get("/v1/usage-events/{id}", before).then().statusCode(200).body("eventId", equalTo(before));
        ingest().get("/v1/usage-events/{id}", after).then().statusCode(200).body("eventId", equalTo(after));
    }
}
