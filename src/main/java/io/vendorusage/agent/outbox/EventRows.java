package io.vendorusage.agent.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vendorusage.agent.store.StoreValues;

/**
 * Plain JDBC over the events table for the ingest path: looking up stored event ids and batch-inserting new
 * rows with their ordinals in their windows. On PostgreSQL, ids come from {@code outbox_event_seq} in blocks of
 * {@link #ID_BLOCK} (one sequence call per 50 rows), so this writer and other agents on one database never hand
 * out one id twice; on SQLite the row id is the id. Values are bound in each store's form ({@link StoreValues}).
 * One instance per writer thread: the id block is not shared.
 */
public final class EventRows {

    /** The increment of {@code outbox_event_seq} (V1 migration). */
    static final int ID_BLOCK = 50;
    /** Ids per {@code IN (...)} lookup: well under every driver's parameter limit. */
    private static final int LOOKUP_CHUNK = 500;

    static final String INSERT = "INSERT INTO outbox_event (id, event_id, organization_id, app_id, quantity,"
            + " occurred_at, occurred_at_defaulted, bucket_start, received_at, window_seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** SQLite: the row id is given on insert (NULL into an INTEGER PRIMARY KEY). */
    static final String INSERT_SQLITE = INSERT.replace("VALUES (?,", "VALUES (NULL,");
    static final String OPEN_WINDOW = "INSERT INTO outbox_window (organization_id, app_id, bucket_start, event_count,"
            + " planned_count, has_backlog) VALUES (?, ?, ?, 0, 0, FALSE) ON CONFLICT DO NOTHING";
    /** Counts the new events; a backlog that starts now starts its hold now (SET reads the row as it was). */
    static final String GROW_WINDOW = "UPDATE outbox_window SET event_count = event_count + ?,"
            + " backlog_since = CASE WHEN has_backlog THEN backlog_since ELSE ? END, has_backlog = TRUE,"
            + " last_received_at = ? WHERE organization_id = ? AND app_id = ? AND bucket_start = ?";
    /** Windows per row-value {@code IN (...)} read of their counts. */
    private static final int WINDOW_CHUNK = 200;

    private long nextId;
    private long lastId = -1;
    private Boolean sqlite;

    /** A new row: the event, its window and when it arrived. */
    public record Row(NewEvent event, Instant bucketStart, Instant receivedAt) {
    }

    /** @return the stored events among {@code eventIds}, by event id (content only, not managed entities) */
    public Map<String, OutboxEvent> findStored(Connection connection, List<String> eventIds) throws SQLException {
        Map<String, OutboxEvent> stored = new HashMap<>();
        for (int from = 0; from < eventIds.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = eventIds.subList(from, Math.min(eventIds.size(), from + LOOKUP_CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("SELECT event_id, organization_id, app_id,"
                    + " quantity, occurred_at, occurred_at_defaulted FROM outbox_event WHERE event_id IN (" + marks
                    + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        OutboxEvent e = new OutboxEvent();
                        e.eventId = rs.getString(1);
                        e.organizationId = rs.getString(2);
                        e.appId = rs.getString(3);
                        e.quantity = StoreValues.decimal(rs.getObject(4));
                        e.occurredAt = StoreValues.instant(rs.getObject(5));
                        e.occurredAtDefaulted = rs.getBoolean(6);
                        stored.put(e.eventId, e);
                    }
                }
            }
        }
        return stored;
    }

    /**
     * Inserts the rows in JDBC batches, each with its ordinal in its window; the caller commits. The windows'
     * rows are created if new and their counts raised first, in a fixed order (so two writers never wait on
     * each other in a cycle); each window's row stays locked until the commit, so ordinals follow commit order
     * and a planner that locks the window sees every event up to its count.
     */
    public void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        boolean onSqlite = sqlite(connection);
        java.util.TreeMap<WindowKey, List<Row>> byWindow = new java.util.TreeMap<>();
        for (Row row : rows) {
            byWindow.computeIfAbsent(WindowKey.of(row), k -> new java.util.ArrayList<>()).add(row);
        }
        try (PreparedStatement open = connection.prepareStatement(OPEN_WINDOW);
                PreparedStatement grow = connection.prepareStatement(GROW_WINDOW)) {
            for (Map.Entry<WindowKey, List<Row>> w : byWindow.entrySet()) {
                w.getKey().bind(open, 1, onSqlite);
                open.addBatch();
                grow.setLong(1, w.getValue().size());
                Instant arrived = w.getValue().stream().map(Row::receivedAt).max(Instant::compareTo).orElseThrow();
                StoreValues.bindInstant(grow, 2, arrived, onSqlite);
                StoreValues.bindInstant(grow, 3, arrived, onSqlite);
                w.getKey().bind(grow, 4, onSqlite);
                grow.addBatch();
            }
            open.executeBatch();
            grow.executeBatch();
        }
        Map<WindowKey, Long> counts = counts(connection, List.copyOf(byWindow.keySet()), onSqlite);
        try (PreparedStatement insert = connection.prepareStatement(onSqlite ? INSERT_SQLITE : INSERT)) {
            for (Map.Entry<WindowKey, List<Row>> w : byWindow.entrySet()) {
                long seq = counts.get(w.getKey()) - w.getValue().size();
                for (Row row : w.getValue()) {
                    NewEvent event = row.event();
                    int p = 1;
                    if (!onSqlite) {
                        insert.setLong(p++, nextId(connection));
                    }
                    insert.setString(p++, event.eventId());
                    insert.setString(p++, event.organizationId());
                    insert.setString(p++, event.appId());
                    StoreValues.bindDecimal(insert, p++, event.quantity(), onSqlite);
                    StoreValues.bindInstant(insert, p++, event.occurredAt(), onSqlite);
                    insert.setBoolean(p++, event.occurredAtDefaulted());
                    StoreValues.bindInstant(insert, p++, row.bucketStart(), onSqlite);
                    StoreValues.bindInstant(insert, p++, row.receivedAt(), onSqlite);
                    insert.setLong(p, ++seq);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** @return the event count of each window, as this transaction sees it */
    private static Map<WindowKey, Long> counts(Connection connection, List<WindowKey> keys, boolean sqlite)
            throws SQLException {
        Map<WindowKey, Long> counts = new HashMap<>();
        for (int from = 0; from < keys.size(); from += WINDOW_CHUNK) {
            List<WindowKey> chunk = keys.subList(from, Math.min(keys.size(), from + WINDOW_CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?)"));
            try (PreparedStatement select = connection.prepareStatement("SELECT organization_id, app_id, bucket_start,"
                    + " event_count FROM outbox_window WHERE (organization_id, app_id, bucket_start) IN (" + marks
                    + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    chunk.get(i).bind(select, 1 + 3 * i, sqlite);
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        counts.put(new WindowKey(rs.getString(1), rs.getString(2),
                                StoreValues.instant(rs.getObject(3))), rs.getLong(4));
                    }
                }
            }
        }
        return counts;
    }

    /** A window's key, ordered so that every writer locks windows in the same order. */
    private record WindowKey(String organizationId, String appId, Instant bucketStart)
            implements Comparable<WindowKey> {

        static WindowKey of(Row row) {
            return new WindowKey(row.event().organizationId(), row.event().appId(), row.bucketStart());
        }

        void bind(PreparedStatement statement, int first, boolean sqlite) throws SQLException {
            statement.setString(first, organizationId);
            statement.setString(first + 1, appId);
            StoreValues.bindInstant(statement, first + 2, bucketStart, sqlite);
        }

        @Override
        public int compareTo(WindowKey o) {
            int c = organizationId.compareTo(o.organizationId);
            c = c != 0 ? c : appId.compareTo(o.appId);
            return c != 0 ? c : bucketStart.compareTo(o.bucketStart);
        }
    }

    private long nextId(Connection connection) throws SQLException {
        if (nextId > lastId) {
            long hi;
            try (PreparedStatement next = connection.prepareStatement("SELECT nextval('outbox_event_seq')");
                    ResultSet rs = next.executeQuery()) {
                rs.next();
                hi = rs.getLong(1);
            }
            // the block ending at hi, as Hibernate's pooled optimizer reads a sequence value
            nextId = Math.max(1, hi - ID_BLOCK + 1);
            lastId = hi;
        }
        return nextId++;
    }

    private boolean sqlite(Connection connection) throws SQLException {
        if (sqlite == null) {
            sqlite = StoreValues.isSqlite(connection);
        }
        return sqlite;
    }
}
