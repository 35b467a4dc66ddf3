package io.vendorusage.agent.ops;

import static io.restassured.RestAssured.given;
import static io.vendorusage.agent.testsupport.TestEvents.event;
import static io.vendorusage.agent.testsupport.TestEvents.ingest;
import static io.vendorusage.agent.testsupport.TestEvents.newId;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The embedded H2 database breaks in a panic while the agent holds pooled connections to it: after a
 * failed write (a full disk) H2 closes its file store, and the sessions still call themselves valid but
 * fail every statement with "The database has been closed". The pool must stop handing them out (it
 * drops a connection whose statement fails that way, and its validation query drops the others on
 * borrow), so the store opens its file again, ingest comes back by itself and nothing committed before
 * is lost.
 */
@QuarkusTest
@TestProfile(StorePanicTest.PanicProfile.class)
class StorePanicTest {

    /** Its own application: the panic must not reach the connections of other tests. */
    public static class PanicProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.min-size", String.valueOf(POOL), "quarkus.datasource.jdbc.max-size",
                    String.valueOf(POOL));
        }
    }

    static final int POOL = 4;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void afterH2ClosesItsFileStoreInAPanicTheAgentReopensItAndKeepsWhatItAccepted() throws SQLException {
        assumeH2();
        String before = newId();
        ingest().body(event(before)).post("/v1/usage-events").then().statusCode(202);
        // every connection of the pool is open on the database that is about to break
        List<Connection> held = holdWholePool();
        try {
            // what H2 does itself when a write fails: the file store closes, the database and its sessions stay
            ((org.h2.engine.SessionLocal) held.get(0).unwrap(org.h2.jdbc.JdbcConnection.class).getSession())
                    .getDatabase().getStore().getMvStore().closeImmediately();
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }

        // the sessions still answer isValid() with true, and the broken database keeps the file locked
        String after = newId();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ingest().body(event(after))
                .post("/v1/usage-events").then().statusCode(202));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(ready).then()
                .statusCode(200));
        ingest().get("/v1/usage-events/{id}", before).then().statusCode(200).body("eventId", equalTo(before));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT COUNT(*) FROM outbox_event"); // no broken connection is left in the pool
        }
    }

    private List<Connection> holdWholePool() throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                held.add(dataSource.getConnection());
                try (Statement st = held.get(i).createStatement()) {
                    st.execute("SELECT COUNT(*) FROM outbox_event");
                }
            }
            return held;
        } catch (SQLException e) {
            for (Connection c : held) {
                c.close();
            }
            throw e;
        }
    }

    private static void assumeH2() {
        Assumptions.assumeTrue("h2".equals(ConfigProvider.getConfig().getValue("quarkus.datasource.db-kind",
                String.class)), "an H2 panic is about the embedded store");
    }
}
