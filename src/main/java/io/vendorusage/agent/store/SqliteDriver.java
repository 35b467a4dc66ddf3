package io.vendorusage.agent.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The JDBC driver of the embedded store: SQLite's own driver, with the settings the agent's promises need
 * on every connection it opens (the datasource names this class in {@code quarkus.datasource.jdbc.driver}).
 * <ul>
 * <li>{@code journal_mode=WAL}, {@code synchronous=FULL}: a commit has reached the disk (one {@code fdatasync}
 * of the write-ahead log) before it returns, so a {@code 202} survives a power cut.</li>
 * <li>One transaction at a time per file, queued fairly in the process ({@link WriteLock}), so no transaction
 * fails with {@code SQLITE_BUSY} because of another; {@code busy_timeout} covers the rest (a checkpoint, the
 * {@code sqlite3} shell). Reads outside transactions never wait.</li>
 * <li>{@code foreign_keys=ON}; {@code journal_size_limit}: the log file is cut back after each checkpoint.</li>
 * <li>A new database is made with {@code auto_vacuum=INCREMENTAL}, so a retention purge can give pages back
 * to the file system ({@code PRAGMA incremental_vacuum}, see {@code StoreMaintenance}).</li>
 * <li>{@code sum}, {@code max} and {@code min} are exact on decimals ({@link ExactAggregates}).</li>
 * </ul>
 * Any of the pragmas can be overridden in the JDBC URL ({@code jdbc:sqlite:path?synchronous=OFF}), which
 * the durability check uses for its negative control. The driver also creates the store's directory, and
 * refuses to open a store beside an H2 file of an earlier version that may still owe usage.
 */
public class SqliteDriver extends org.sqlite.JDBC {

    /** The file name of the store that versions before the SQLite store kept in the same directory. */
    public static final String OLD_H2_FILE = "vendorusage.mv.db";
    static final String PREFIX = "jdbc:sqlite:";
    /** How long a transaction waits for its turn, and SQLite for its lock. */
    static final int BUSY_TIMEOUT_MILLIS = 5000;

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Path file = file(url);
        if (file != null) {
            refuseBesideOldStore(file);
            createDirectory(file);
        }
        Properties settings = new Properties();
        if (info != null) {
            settings.putAll(info);
        }
        // the agent's defaults, unless the URL or the caller names the pragma (sqlite-jdbc would let these
        // properties win over the URL)
        Set<String> named = namedInUrl(url);
        DEFAULTS.forEach((key, value) -> {
            if (!named.contains(key)) {
                settings.putIfAbsent(key, value);
            }
        });
        Connection connection = super.connect(url, settings);
        try {
            incrementalVacuumIfNew(connection);
            ExactAggregates.register(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return file == null ? connection : WriteLock.wrap(connection, file, BUSY_TIMEOUT_MILLIS);
    }

    private static final Map<String, String> DEFAULTS = Map.of(
            "journal_mode", "WAL",
            "synchronous", "FULL",
            "busy_timeout", String.valueOf(BUSY_TIMEOUT_MILLIS),
            "foreign_keys", "true",
            "journal_size_limit", String.valueOf(64L * 1024 * 1024));

    /** @return the keys of the URL's {@code ?key=value&...} part */
    static Set<String> namedInUrl(String url) {
        int query = url.indexOf('?');
        Set<String> keys = new HashSet<>();
        if (query >= 0) {
            for (String pair : url.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                keys.add((eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT));
            }
        }
        return keys;
    }

    /** @return the database file of a {@code jdbc:sqlite:} URL, or null for an in-memory database */
    static Path file(String url) {
        String rest = url.substring(PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
            return null;
        }
        return Path.of(rest).toAbsolutePath().normalize();
    }

    private static void refuseBesideOldStore(Path file) throws SQLException {
        Path parent = file.getParent();
        if (parent == null) {
            return;
        }
        Path old = parent.resolve(OLD_H2_FILE);
        if (Files.exists(old)) {
            throw new SQLException("Found the H2 store of an earlier vendorusage-agent at " + old + ". This version"
                    + " keeps its data in SQLite (" + file.getFileName() + ") and cannot read H2, and it will not"
                    + " start empty beside usage that may be unsent. Drain the old store first: start the previous"
                    + " version on this data directory, POST /v1/submissions/flush, wait until GET /v1/status shows"
                    + " no pending events and no planned, sending, uncertain or failed records, then stop it and"
                    + " move " + old.getFileName() + " out of the directory (keep it as the audit copy). Then start"
                    + " this version.", "08004");
        }
    }

    private static void createDirectory(Path file) throws SQLException {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new SQLException("cannot create the store's directory " + file.getParent() + ": " + e, "08004", e);
        }
    }

    /**
     * auto_vacuum can only be chosen while the database is empty, and once the WAL header is written only with a
     * VACUUM (instant on an empty database).
     */
    private static void incrementalVacuumIfNew(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            boolean empty;
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
                empty = rs.next() && rs.getLong(1) == 0;
            }
            if (empty) {
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                statement.execute("VACUUM");
            }
        }
    }
}
