package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A store that a test can take away and give back. On SQLite, another process's connection (a plain one, not
 * the agent's) takes the file's exclusive lock and holds it: the agent can neither write nor, in time, read a
 * consistent snapshot through a new transaction, as when an operator's {@code sqlite3} session or a backup
 * tool holds the database. On PostgreSQL it is the CI's server, stopped and started with the commands in
 * {@code VENDORUSAGE_TEST_PG_STOP} and {@code VENDORUSAGE_TEST_PG_START}.
 */
public class StoreOutage implements QuarkusTestResourceLifecycleManager {

    private static final Path FILE = Path.of("target", "store-outage", "vendorusage.db").toAbsolutePath();
    private static volatile Connection holder;

    public static boolean isPostgresql() {
        return "postgresql".equals(System.getProperty("quarkus.datasource.db-kind"));
    }

    /** @return whether this store can be taken down from a test here */
    public static boolean available() {
        return !isPostgresql() || (System.getenv("VENDORUSAGE_TEST_PG_STOP") != null
                && System.getenv("VENDORUSAGE_TEST_PG_START") != null);
    }

    @Override
    public Map<String, String> start() {
        if (isPostgresql()) {
            return Map.of();
        }
        try {
            Files.createDirectories(FILE.getParent());
            Files.deleteIfExists(FILE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:sqlite:" + FILE);
    }

    @Override
    public void stop() {
        if (holder != null) {
            startStore();
        }
    }

    /** Takes the store away; the agent's writes fail until {@link #startStore()}. */
    public static void stopStore() {
        if (isPostgresql()) {
            run(System.getenv("VENDORUSAGE_TEST_PG_STOP"));
            return;
        }
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + FILE);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                // in WAL mode an exclusive transaction shuts out writers; the write itself takes the lock
                s.execute("BEGIN EXCLUSIVE");
                s.execute("UPDATE store_probe SET checked_at = checked_at");
            }
            holder = c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the store's lock", e);
        }
    }

    /** Gives the store back with its data. */
    public static void startStore() {
        if (isPostgresql()) {
            run(System.getenv("VENDORUSAGE_TEST_PG_START"));
            return;
        }
        try (Connection c = holder) {
            holder = null;
            if (c != null) {
                c.createStatement().execute("ROLLBACK");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the store's lock", e);
        }
    }
    private static void run(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("store command failed: " + command);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
