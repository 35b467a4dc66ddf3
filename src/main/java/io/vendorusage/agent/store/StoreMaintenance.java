package io.vendorusage.agent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the SQLite files bounded; does nothing on PostgreSQL, which keeps itself. SQLite checkpoints its
 * write-ahead log into the database every 1,000 pages (about 4 MiB) when a commit passes that mark, and the log
 * starts over from its beginning once all of it is in the database; {@code journal_size_limit} cuts the file
 * back after that. A checkpoint stops short while a reader still needs older pages, and an idle store is never
 * checkpointed by a commit, so a passive checkpoint runs here each minute too. Passive: it waits for nobody
 * and nobody waits for it (a full or truncating checkpoint would hold new writers back while readers finish,
 * and a 202 would wait for it). After a retention purge, {@link #reclaim()} gives the freed pages back to the
 * file system (the store is made with {@code auto_vacuum=INCREMENTAL}), so the file shrinks with its data.
 */
@ApplicationScoped
public class StoreMaintenance {

    private static final Logger LOG = Logger.getLogger(StoreMaintenance.class);

    private final AgroalDataSource dataSource;

    public StoreMaintenance(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The database's pages: all of them, and those free inside the file. */
    public record Pages(long pageSize, long pages, long free) {
        public long bytes() {
            return pageSize * pages;
        }
    }

    @Scheduled(identity = "store-checkpoint", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "60s", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheckpoint() {
        try {
            checkpoint();
        } catch (SQLException e) {
            LOG.warnf("Store checkpoint failed (retried in a minute): %s", e.getMessage());
        }
    }

    /** Moves what the write-ahead log holds into the database, as far as no reader still needs it. */
    public void checkpoint() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!StoreValues.isSqlite(c)) {
                return;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                if (rs.next() && rs.getInt(3) < rs.getInt(2)) {
                    LOG.debugf("Store checkpoint stopped short (%d of %d pages): a reader still needs the rest",
                            rs.getInt(3), rs.getInt(2));
                }
            }
        }
    }

    /** Returns the pages a purge freed to the file system, in one short write transaction. */
    public void reclaim() {
        try (Connection c = dataSource.getConnection()) {
            if (!StoreValues.isSqlite(c)) {
                return;
            }
            long before = pages(c).free();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // the pragma frees one page a step: executeUpdate steps it to the end (execute() stops after one)
                s.executeUpdate("PRAGMA incremental_vacuum");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            if (before > 0) {
                LOG.infof("Store gave %d free pages back to the file system", before);
            }
        } catch (SQLException e) {
            LOG.warnf("Store vacuum failed (tried again after the next purge): %s", e.getMessage());
        }
    }

    /** @return the pages of a SQLite store */
    public static Pages pages(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return new Pages(single(s, "PRAGMA page_size"), single(s, "PRAGMA page_count"),
                    single(s, "PRAGMA freelist_count"));
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
