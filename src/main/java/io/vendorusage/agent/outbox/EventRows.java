package io.vendorusage.agent.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC over the events table for the ingest path: looking up stored event ids and batch-inserting new
 * rows. Ids come from {@code outbox_event_seq} in blocks of {@link #ID_BLOCK}, the same blocks Hibernate's
 * pooled optimizer takes, so this writer, Hibernate and other agents on one database never hand out one id
 * twice. One instance per writer thread: the id block is not shared.
 */
public final class EventRows {

    /** The increment of {@code outbox_event_seq} (V1 migration). */
    static final int ID_BLOCK = 50;
    /** Ids per {@code IN (...)} lookup: well under every driver's parameter limit. */
    private static final int LOOKUP_CHUNK = 500;

    static final String INSERT = "INSERT INTO outbox_event (id, event_id, organization_id, app_id, quantity,"
            + " occurred_at, occurred_at_defaulted, bucket_start, received_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private long nextId;
    private long lastId = -1;

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
                        e.quantity = rs.getBigDecimal(4);
                        e.occurredAt = rs.getObject(5, OffsetDateTime.class).toInstant();
                        e.occurredAtDefaulted = rs.getBoolean(6);
                        stored.put(e.eventId, e);
                    }
                }
            }
        }
        return stored;
    }

    /** Inserts the rows in JDBC batches; the caller commits. */
    public void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Row row : rows) {
                NewEvent event = row.event();
                insert.setLong(1, nextId(connection));
                insert.setString(2, event.eventId());
                insert.setString(3, event.organizationId());
                insert.setString(4, event.appId());
                insert.setBigDecimal(5, event.quantity());
                insert.setObject(6, utc(event.occurredAt()));
                insert.setBoolean(7, event.occurredAtDefaulted());
                insert.setObject(8, utc(row.bucketStart()));
                insert.setObject(9, utc(row.receivedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private long nextId(Connection connection) throws SQLException {
        if (nextId > lastId) {
            long hi;
            // nextval() is PostgreSQL's and H2 accepts it in PostgreSQL mode
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

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
