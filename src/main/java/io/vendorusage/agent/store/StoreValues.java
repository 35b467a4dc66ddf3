package io.vendorusage.agent.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the two stores keep timestamps and decimals, for the code that talks to them in plain JDBC or reads
 * native query results. PostgreSQL has the types; SQLite has none, so there a timestamp is text of one fixed
 * width in UTC with microseconds ({@code 2026-01-31T12:00:00.000000Z}: sorts and compares as text in time
 * order) and a decimal is its exact plain text. Hibernate writes and reads the same forms through
 * {@link SqliteDialect}.
 */
public final class StoreValues {

    /** The one timestamp form on SQLite. */
    public static final DateTimeFormatter SQLITE_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private StoreValues() {
    }

    /** @return whether this connection is to SQLite (else PostgreSQL) */
    public static boolean isSqlite(Connection connection) throws SQLException {
        return "SQLite".equals(connection.getMetaData().getDatabaseProductName());
    }

    public static String sqliteText(Instant instant) {
        return SQLITE_TIMESTAMP.format(instant);
    }

    /** Binds a timestamp in the form of the statement's store. */
    public static void bindInstant(PreparedStatement statement, int index, Instant instant, boolean sqlite)
            throws SQLException {
        if (sqlite) {
            statement.setString(index, sqliteText(instant));
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    /** Binds a decimal in the form of the statement's store. */
    public static void bindDecimal(PreparedStatement statement, int index, BigDecimal value, boolean sqlite)
            throws SQLException {
        if (sqlite) {
            statement.setString(index, value.toPlainString());
        } else {
            statement.setBigDecimal(index, value);
        }
    }

    /** A timestamp as a driver or a native query gives it: an OffsetDateTime, Instant, Timestamp or SQLite text. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof String s) {
            return parseInstant(s);
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
    }

    /** @return the instant of a timestamp stored as text on SQLite (the fixed form, or any ISO-8601 instant) */
    public static Instant parseInstant(String text) {
        return Instant.parse(text);
    }

    /** A decimal as a driver or a native query gives it: a BigDecimal, another Number, or SQLite text. */
    public static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger b) {
            return new BigDecimal(b);
        }
        if (value instanceof String s) {
            return new BigDecimal(s);
        }
        if (value instanceof Number n) {
            // a floating-point value never comes from a quantity column; keep its shortest exact text
            return new BigDecimal(n.toString());
        }
        throw new IllegalStateException("unexpected decimal type " + value.getClass().getName());
    }
}
