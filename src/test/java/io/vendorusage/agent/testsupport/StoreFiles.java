package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded store's files against their live data: the database and its write-ahead log on disk, and the
 * bytes of every row and index entry in it (SQLite's {@code dbstat} table: the payload of each page). Read
 * through a connection of the test's own, beside a running agent (WAL lets it read a snapshot).
 */
public record StoreFiles(long databaseBytes, long walBytes, long liveBytes) {

    public static StoreFiles of(Path dataDir) throws IOException, SQLException {
        Path db = dataDir.resolve("vendorusage.db");
        Path wal = dataDir.resolve("vendorusage.db-wal");
        long live;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(payload) FROM dbstat")) {
            rs.next();
            live = rs.getLong(1);
        }
        return new StoreFiles(Files.size(db), Files.exists(wal) ? Files.size(wal) : 0, live);
    }

    public long onDisk() {
        return databaseBytes + walBytes;
    }

    public double ratio() {
        return (double) onDisk() / Math.max(1, liveBytes);
    }

    @Override
    public String toString() {
        return String.format("database %d KiB + log %d KiB = %d KiB on disk for %d KiB of live rows (%.2fx)",
                databaseBytes >> 10, walBytes >> 10, onDisk() >> 10, liveBytes >> 10, ratio());
    }
}
