package io.vendorusage.agent.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.vendorusage.agent.store.StoreValues;
import io.vendorusage.agent.submission.SubmissionState;

/**
 * One row per event of an organization's month, with the record and confirmation it went into, written as it is
 * read: a cursor on the store and a small buffer, so memory stays flat however many events there are. On SQLite
 * the read runs outside a transaction (a snapshot beside the writer, so ingest never waits for a download); on
 * PostgreSQL in a read-only transaction, which its driver needs to fetch by cursor.
 */
@ApplicationScoped
public class EventCsv {

    static final String HEADER = "event_id,app_id,quantity,occurred_at,received_at,status,submission_id,revision,"
            + "record_state,record_quantity,confirmation,upstream_id,correlation_id,confirmed_at,cancelled_at";
    private static final int FETCH = 1000;

    private final AgroalDataSource dataSource;

    public EventCsv(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(String organizationId, AuditPeriod period, OutputStream target) {
        Writer out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 64 * 1024);
        try (Connection c = dataSource.getConnection()) {
            boolean sqlite = StoreValues.isSqlite(c);
            if (!sqlite) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT e.event_id, e.app_id, e.quantity, e.occurred_at,"
                    + " e.received_at, s.state, s.id, s.revision, s.quantity, s.confirmation, s.upstream_id,"
                    + " s.last_correlation_id, s.confirmed_at, e.cancelled_at FROM outbox_event e"
                    + AuditSql.RECORD_OF_EVENT
                    + " WHERE e.organization_id = ? AND e.bucket_start >= ? AND e.bucket_start < ?"
                    + " ORDER BY e.app_id, e.bucket_start, e.window_seq")) {
                q.setFetchSize(FETCH);
                q.setString(1, organizationId);
                StoreValues.bindInstant(q, 2, period.start(), sqlite);
                StoreValues.bindInstant(q, 3, period.end(), sqlite);
                out.write(HEADER);
                out.write("\r\n");
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        row(r, out);
                    }
                }
            } finally {
                if (!sqlite) {
                    c.rollback();
                    c.setReadOnly(false);
                    c.setAutoCommit(true);
                }
            }
            out.flush();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the events for the audit failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(ResultSet r, Writer out) throws SQLException, IOException {
        String state = r.getString(6);
        Object cancelledAt = r.getObject(14);
        String status = cancelledAt != null ? "cancelled" : state == null ? "pending"
                : SubmissionState.valueOf(state).eventStatus().name().toLowerCase(Locale.ROOT);
        field(out, r.getString(1), false);
        field(out, r.getString(2), true);
        field(out, decimal(r.getObject(3)), true);
        field(out, instant(r.getObject(4)), true);
        field(out, instant(r.getObject(5)), true);
        field(out, status, true);
        field(out, r.getString(7), true);
        field(out, r.getObject(8) == null ? null : String.valueOf(r.getInt(8)), true);
        field(out, state == null ? null : state.toLowerCase(Locale.ROOT), true);
        field(out, decimal(r.getObject(9)), true);
        field(out, r.getString(10), true);
        field(out, r.getString(11), true);
        field(out, r.getString(12), true);
        field(out, instant(r.getObject(13)), true);
        field(out, instant(cancelledAt), true);
        out.write("\r\n");
    }

    private static String decimal(Object value) {
        // the same text from both stores: PostgreSQL keeps the column's scale (1.500000), SQLite the value as sent
        return value == null ? null : StoreValues.decimal(value).stripTrailingZeros().toPlainString();
    }

    private static String instant(Object value) {
        return value == null ? null : StoreValues.instant(value).toString();
    }

    /**
     * RFC 4180: quoted when it holds a comma, quote or line break. A text that a spreadsheet would take for a
     * formula (starting with = + - @) gets a leading apostrophe, so opening the file runs nothing.
     */
    static void field(Writer out, String value, boolean separator) throws IOException {
        if (separator) {
            out.write(',');
        }
        if (value == null || value.isEmpty()) {
            return;
        }
        String v = "=+-@".indexOf(value.charAt(0)) >= 0 && !isNumber(value) ? "'" + value : value;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            out.write('"');
            out.write(v.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(v);
        }
    }

    private static boolean isNumber(String value) {
        return value.matches("[+-]?[0-9]+(\\.[0-9]+)?");
    }
}
