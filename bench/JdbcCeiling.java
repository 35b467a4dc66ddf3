import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The storage ceiling for the benchmark: raw JDBC batch inserts of outbox rows into the same store, with the
 * agent's schema (V1 migration), the agent's INSERT statement and the agent's id style, one commit per batch.
 * No HTTP, no JSON, no idempotency lookup: what the store itself takes.
 *
 *   java -cp <jdbc driver jar> bench/JdbcCeiling.java URL USER PASSWORD ROWS BATCH
 *
 * For PostgreSQL the rows go into a fresh schema that is dropped afterwards. Prints one line:
 * "rows/s".
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
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                if (postgres) {
                    s.execute("CREATE SCHEMA " + schema);
                    s.execute("SET search_path TO " + schema);
                }
                for (String ddl : Files.readString(Path.of("src/main/resources/db/migration/V1__outbox.sql"))
                        .replaceAll("(?m)--.*$", "").split(";")) {
                    if (!ddl.isBlank()) {
                        s.execute(ddl);
                    }
                }
            }
            c.setAutoCommit(false);
            String run = Long.toString(System.nanoTime(), 36);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            OffsetDateTime bucket = now.truncatedTo(ChronoUnit.HOURS);
            long started = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox_event (id, event_id,"
                    + " organization_id, app_id, quantity, occurred_at, occurred_at_defaulted, bucket_start,"
                    + " received_at, status, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0)")) {
                for (int i = 1; i <= rows; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "b-" + run + "-1-" + i);
                    insert.setString(3, "3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e");
                    insert.setString(4, "premium-minutes");
                    insert.setBigDecimal(5, BigDecimal.ONE);
                    insert.setObject(6, now);
                    insert.setBoolean(7, true);
                    insert.setObject(8, bucket);
                    insert.setObject(9, now);
                    insert.addBatch();
                    if (i % batch == 0 || i == rows) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
                c.commit();
            }
            System.out.printf("%.0f%n", rows / seconds);
        }
    }
}
