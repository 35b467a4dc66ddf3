package io.vendorusage.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's driver on a real SQLite file: its settings, exact aggregates, write turns and refusals. */
class SqliteDriverTest {

    private final SqliteDriver driver = new SqliteDriver();

    private Connection open(Path file) throws SQLException {
        return driver.connect("jdbc:sqlite:" + file, new Properties());
    }

    private static Object one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getObject(1);
        }
    }

    @Test
    void aNewStoreIsDurableAndVacuumsIncrementally(@TempDir Path dir) throws SQLException {
        try (Connection c = open(dir.resolve("sub").resolve("store.db"))) {
            assertEquals("wal", one(c, "PRAGMA journal_mode"));
            assertEquals(2, ((Number) one(c, "PRAGMA synchronous")).intValue(), "FULL");
            assertEquals(1, ((Number) one(c, "PRAGMA foreign_keys")).intValue());
            assertEquals(2, ((Number) one(c, "PRAGMA auto_vacuum")).intValue(), "INCREMENTAL");
            assertEquals(SqliteDriver.BUSY_TIMEOUT_MILLIS, ((Number) one(c, "PRAGMA busy_timeout")).intValue());
        }
        assertTrue(Files.exists(dir.resolve("sub").resolve("store.db")), "the directory is created");
    }

    @Test
    void theUrlOverridesAPragma(@TempDir Path dir) throws SQLException {
        try (Connection c = driver.connect("jdbc:sqlite:" + dir.resolve("off.db") + "?synchronous=OFF",
                new Properties())) {
            assertEquals(0, ((Number) one(c, "PRAGMA synchronous")).intValue());
        }
    }

    @Test
    void sumsAndPeaksOfDecimalsAreExact(@TempDir Path dir) throws SQLException {
        try (Connection c = open(dir.resolve("agg.db"))) {
            c.createStatement().execute("CREATE TABLE q (v TEXT, t TEXT, n INTEGER) STRICT");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO q VALUES (?, ?, ?)")) {
                for (int i = 0; i < 10_000; i++) {
                    insert.setString(1, "0.1");
                    insert.setString(2, StoreValues.sqliteText(Instant.ofEpochSecond(1_700_000_000L + i)));
                    insert.setLong(3, i);
                    insert.addBatch();
                }
                insert.setString(1, "999999999999999999.999999");
                insert.setString(2, StoreValues.sqliteText(Instant.ofEpochSecond(1_600_000_000L)));
                insert.setLong(3, Long.MAX_VALUE);
                insert.addBatch();
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            // 10,000 x 0.1 plus the largest quantity the contract allows: binary floating point loses both
            assertEquals("1000000000000000999.999999", one(c, "SELECT sum(v) FROM q"));
            assertEquals("999999999999999999.999999", one(c, "SELECT max(v) FROM q"), "numbers, not text order");
            assertEquals("0.1", one(c, "SELECT min(v) FROM q"));
            assertEquals("1000.0", one(c, "SELECT sum(v) FROM q WHERE n < 10000"));
            assertEquals(StoreValues.sqliteText(Instant.ofEpochSecond(1_700_009_999L)), one(c, "SELECT max(t) FROM q"));
            assertEquals(49_995_000L, ((Number) one(c, "SELECT sum(n) FROM q WHERE n < 10000")).longValue(),
                    "integers stay integers");
            assertEquals(Long.MAX_VALUE, ((Number) one(c, "SELECT sum(n) FROM q WHERE n = 9223372036854775807"
                    + " OR n = 0")).longValue());
            assertEquals("9223372036854775808", one(c, "SELECT sum(n) FROM q WHERE n = 9223372036854775807 OR n = 1"),
                    "a sum past the largest integer goes on exactly");
            assertNull(one(c, "SELECT sum(v) FROM q WHERE n < 0"), "no rows: NULL, as SQLite's own");
            assertEquals(3L, ((Number) one(c, "SELECT max(1, 3)")).longValue(), "the scalar max stays SQLite's");
        }
    }

    @Test
    void transactionsTakeTurnsAndAWaitEndsWithAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("turns.db");
        try (Connection a = open(file); Connection b = open(file)) {
            a.createStatement().execute("CREATE TABLE t (x INTEGER) STRICT");
            a.setAutoCommit(false);
            a.createStatement().execute("INSERT INTO t VALUES (1)");
            CountDownLatch waiting = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Thread> bThread = new java.util.concurrent.atomic.AtomicReference<>();
            CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
                try {
                    bThread.set(Thread.currentThread());
                    waiting.countDown();
                    b.setAutoCommit(false);
                    // runs after a's commit: it sees a's row and adds its own
                    long seen = ((Number) one(b, "SELECT count(*) FROM t")).longValue();
                    b.createStatement().execute("INSERT INTO t VALUES (2)");
                    b.commit();
                    b.setAutoCommit(true);
                    return seen;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(waiting.await(5, TimeUnit.SECONDS));
            // b has started and is parked in the write lock's queue, not merely not yet scheduled
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(5))
                    .until(() -> bThread.get().getState() == Thread.State.TIMED_WAITING
                            || bThread.get().getState() == Thread.State.WAITING);
            assertTrue(java.util.Arrays.stream(bThread.get().getStackTrace())
                    .anyMatch(f -> f.getClassName().contains("WriteLock")), "b waits in the write lock");
            assertFalse(second.isDone(), "b waits for its turn while a's transaction is open");
            a.commit();
            a.setAutoCommit(true);
            assertEquals(1L, second.get(5, TimeUnit.SECONDS));
            assertEquals(2L, ((Number) one(a, "SELECT count(*) FROM t")).longValue());

            a.setAutoCommit(false);
            long t0 = System.nanoTime();
            SQLException busy = assertThrows(SQLException.class, () -> b.setAutoCommit(false));
            assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= SqliteDriver.BUSY_TIMEOUT_MILLIS - 50);
            a.rollback();
            a.close();
            b.setAutoCommit(false);
            b.rollback();
            b.setAutoCommit(true);
        }
    }

    @Test
    void refusesToOpenBesideTheOldH2Store(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(SqliteDriver.OLD_H2_FILE), "old");
        SQLException refused = assertThrows(SQLException.class, () -> open(dir.resolve("vendorusage.db")));
        assertTrue(refused.getMessage().contains(dir.resolve(SqliteDriver.OLD_H2_FILE).toString()),
                refused.getMessage());
        assertFalse(Files.exists(dir.resolve("vendorusage.db")), "nothing written");
    }
}
