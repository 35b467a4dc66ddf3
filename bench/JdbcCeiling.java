import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import io.vendorusage.agent.store.StoreValues;

/**
 * The storage ceiling for the benchmark: raw JDBC batch inserts of outbox rows into the same store, with the
 * agent's schema (its migrations), the agent's INSERT and value forms, one commit per batch. On SQLite it goes
 * through the agent's own driver (WAL, synchronous=FULL: one sync per commit), so the one-row-per-commit figure
 * is the store's one-sync-per-commit ceiling. No HTTP, no JSON, no idempotency lookup: what the store takes.
 *
 *   java -cp target/classes:<jdbc driver jar> bench/JdbcCeiling.java URL USER PASSWORD ROWS BATCH
 *
 * For PostgreSQL the rows go into a fresh schema that is dropped afterwards; for SQLite the URL names a fresh
 * file. Prints one line: "rows/s".
 */
public class JdbcCeiling {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        int rows = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        boolean postgres = url.startsWith("jdbc:postgresql:");
        String schema = "bench_ceiling_" + System.nanoTime();
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        try (Connection c = postgres ? DriverManager.getConnection(url, credentials)
                : new io.vendorusage.agent.store.SqliteDriver().connect(url, credentials)) {
            try (Statement s = c.createStatement()) {
                if (postgres) {
                    s.execute("CREATE SCHEMA " + schema);
                    s.execute("SET search_path TO " + schema);
                }
                Path folder = Path.of("src/main/resources/db/migration", postgres ? "postgresql" : "sqlite");
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted(Comparator.comparing(f -> Integer.parseInt(
                            f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1")))).toList()) {
                        for (String ddl : Files.readString(file).replaceAll("(?m)--.*$", "").split(";")) {
                            if (!ddl.isBlank()) {
                                s.execute(ddl);
                            }
                        }
                    }
                }
            }
            c.setAutoCommit(false);
            String run = Long.toString(System.nanoTime(), 36);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Instant bucket = now.truncatedTo(ChronoUnit.HOURS);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox_event (id, event_id,"
                    + " organization_id, app_id, quantity, occurred_at, occurred_at_defaulted, bucket_start,"
                    + " received_at, window_seq) VALUES (" + (postgres ? "?" : "NULL") + ", ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                long started = System.nanoTime();
                for (int i = 1; i <= rows; i++) {
                    int p = 1;
                    if (postgres) {
                        insert.setLong(p++, i);
                    }
                    insert.setString(p++, "b-" + run + "-1-" + i);
                    insert.setString(p++, "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e");
                    insert.setString(p++, "premium-minutes");
                    StoreValues.bindDecimal(insert, p++, BigDecimal.ONE, !postgres);
                    StoreValues.bindInstant(insert, p++, now, !postgres);
                    insert.setBoolean(p++, true);
                    StoreValues.bindInstant(insert, p++, bucket, !postgres);
                    StoreValues.bindInstant(insert, p++, now, !postgres);
                    insert.setLong(p, i);
                    insert.addBatch();
                    if (i % batch == 0 || i == rows) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("%.0f%n", rows / seconds);
            }
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
                c.commit();
            }
        }
    }
}
