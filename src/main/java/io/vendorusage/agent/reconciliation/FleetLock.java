package io.vendorusage.agent.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * One reconciler per fleet. Agents sharing a PostgreSQL outbox take a session-level advisory lock for the
 * length of a run: only its holder reconciles (and so decides on uncertain records); the others skip their
 * turn. The lock belongs to a database session, so an agent that dies mid-run (kill -9, a lost node) frees it
 * with its connection and the next agent reconciles on its next turn. An embedded store belongs to one
 * process, where the service's own lock is enough.
 */
@ApplicationScoped
public class FleetLock {

    private static final Logger LOG = Logger.getLogger(FleetLock.class);
    /** The advisory lock key: "vendorus" in ASCII, so it never meets another application's key by chance. */
    static final long KEY = 0x76656e646f727573L;

    private final AgroalDataSource dataSource;

    public FleetLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A taken (or refused) lock; closing it releases what was taken. */
    public interface Held extends AutoCloseable {
        boolean acquired();

        @Override
        void close();
    }

    /** @return the lock, held until closed, or a refusal when another agent holds it */
    public Held tryAcquire() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                connection.close();
                return held(null, true);
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return held(connection, true);
                    }
                }
            }
            connection.close();
            return held(null, false);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new IllegalStateException("could not take the reconciliation lock: " + e.getMessage(), e);
        }
    }

    private static Held held(Connection connection, boolean acquired) {
        return new Held() {
            @Override
            public boolean acquired() {
                return acquired;
            }

            @Override
            public void close() {
                if (connection == null) {
                    return;
                }
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, KEY);
                    unlock.execute();
                } catch (SQLException e) {
                    // the session ends with the connection below, and the lock with it
                    LOG.debugf("Releasing the reconciliation lock: %s", e.toString());
                } finally {
                    closeQuietly(connection);
                }
            }
        };
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("Closing a lock connection: %s", e.toString());
        }
    }
}
