package io.vendorusage.agent.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.agroal.api.AgroalDataSource;

/**
 * The transaction of one group commit: looks up the group's event ids once, decides each request in order
 * ({@link Idempotency}), inserts the new rows of the requests not refused in one JDBC batch and commits. Used by
 * the writer thread alone (its {@link EventRows} holds an id block).
 */
final class GroupWrite {

    /** One request of the group: its events and when it arrived. */
    record Request(List<NewEvent> events, Instant receivedAt) {
    }

    private final AgroalDataSource dataSource;
    private final Duration bucket;
    private final EventRows rows = new EventRows();

    GroupWrite(AgroalDataSource dataSource, Duration bucket) {
        this.dataSource = dataSource;
        this.bucket = bucket;
    }

    /**
     * @return each request's decision, in order, once the rows of those not refused are committed
     * @throws SQLException when nothing of the group was committed
     */
    List<Idempotency.Decision> write(List<Request> group) throws SQLException {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        group.forEach(r -> r.events().forEach(e -> ids.add(e.eventId())));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, OutboxEvent> stored = rows.findStored(connection, new ArrayList<>(ids));
                Idempotency rule = new Idempotency(bucket, stored);
                List<Idempotency.Decision> decisions = new ArrayList<>(group.size());
                List<EventRows.Row> inserts = new ArrayList<>();
                for (Request request : group) {
                    Idempotency.Decision d = rule.decide(request.events(), request.receivedAt());
                    decisions.add(d);
                    inserts.addAll(d.rows());
                }
                rows.insert(connection, inserts);
                connection.commit();
                return decisions;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it and nothing was committed
        }
    }
}
