package io.vendorusage.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.agroal.api.AgroalDataSource;

/**
 * Ready only while the events table answers a cheap query and, after an ingest commit failed, while the store
 * takes a real write again (one row of {@code store_probe} rewritten and committed); says why when it is not.
 * Plain JDBC: a probe needs neither Hibernate nor a transaction manager, and readiness answers as soon as the
 * store does.
 */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final AgroalDataSource dataSource;
    private final StoreWrites writes;
    private final Clock clock;

    public StoreHealthCheck(AgroalDataSource dataSource, StoreWrites writes, Clock clock) {
        this.dataSource = dataSource;
        this.writes = writes;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement read = c.prepareStatement("SELECT COUNT(*) FROM outbox_event WHERE id = -1");
                    ResultSet rs = read.executeQuery()) {
                rs.next();
            }
            if (writes.lastFailure().isPresent()) {
                probeWrite(c);
                writes.succeeded();
            }
            return HealthCheckResponse.named("store").up().build();
        } catch (SQLException | RuntimeException e) {
            return HealthCheckResponse.named("store").down().withData("reason", StoreFailures.describe(e)).build();
        }
    }

    /** One statement in auto-commit: its own transaction, synced when it returns, failing with the store's words. */
    private void probeWrite(Connection c) throws SQLException {
        try (PreparedStatement write = c.prepareStatement("UPDATE store_probe SET checked_at = ? WHERE id = 1")) {
            StoreValues.bindInstant(write, 1, clock.instant(), StoreValues.isSqlite(c));
            write.executeUpdate();
        }
    }
}
