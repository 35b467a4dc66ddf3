package io.vendorusage.agent.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.Function;

/**
 * SQLite's own {@code sum}, {@code max} and {@code min} replaced, on every connection of the agent, by exact
 * ones. SQLite keeps a decimal as text (it has no exact decimal type) and its built-in {@code sum} would add
 * such text as binary floating point: a billing total of ten thousand 0.1s would not be 1000. These add and
 * compare decimals exactly; integers stay integers; a value that is no number (a timestamp's text) compares as
 * text, after every number, as SQLite orders them. Empty input (or only NULLs) gives NULL, as the built-ins do.
 * The one-argument aggregate forms alone are replaced; {@code max(a, b)} stays SQLite's scalar function.
 */
public final class ExactAggregates {

    private static final int INTEGER = 1;
    private static final int FLOAT = 2;
    private static final int TEXT = 3;
    private static final int NULL = 5;

    private ExactAggregates() {
    }

    /** Registers the three aggregates on a new connection. */
    public static void register(Connection connection) throws SQLException {
        Function.create(connection, "sum", new Sum(), 1, Function.FLAG_DETERMINISTIC);
        Function.create(connection, "max", new Extreme(1), 1, Function.FLAG_DETERMINISTIC);
        Function.create(connection, "min", new Extreme(-1), 1, Function.FLAG_DETERMINISTIC);
    }

    /** A non-null argument: an exact number, or text that is none. */
    private record Value(long integer, BigDecimal decimal, String text, int type) {

        boolean isNumber() {
            return text == null;
        }

        BigDecimal number() {
            return decimal != null ? decimal : BigDecimal.valueOf(integer);
        }

        int compareTo(Value o) {
            if (isNumber() != o.isNumber()) {
                return isNumber() ? -1 : 1;
            }
            if (!isNumber()) {
                return text.compareTo(o.text);
            }
            if (decimal == null && o.decimal == null) {
                return Long.compare(integer, o.integer);
            }
            return number().compareTo(o.number());
        }
    }

    /** @return whether the text can be a plain or scientific decimal: digits, at most a sign, a point, an exponent */
    static boolean looksNumeric(String text) {
        int n = text.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    /** An aggregate reading its one argument. */
    private abstract static class Step extends Function.Aggregate {

        Value read() throws SQLException {
            switch (value_type(0)) {
                case NULL:
                    return null;
                case INTEGER:
                    return new Value(value_long(0), null, null, INTEGER);
                case FLOAT:
                    return new Value(0, new BigDecimal(Double.toString(value_double(0))), null, FLOAT);
                default:
                    String text = value_text(0);
                    // most text here is a timestamp: tell it from a number without paying for an exception
                    if (looksNumeric(text)) {
                        try {
                            return new Value(0, new BigDecimal(text), null, TEXT);
                        } catch (NumberFormatException e) {
                            // not a number after all
                        }
                    }
                    return new Value(0, null, text, TEXT);
            }
        }
    }

    /** Exact sum: an integer while every input is one and it fits, else the decimal's plain text. */
    static final class Sum extends Step {
        private long integer;
        private BigDecimal decimal;
        private boolean any;

        @Override
        protected void xStep() throws SQLException {
            Value v = read();
            if (v == null) {
                return;
            }
            if (!v.isNumber()) {
                error("sum() of a value that is not a number: " + v.text());
                return;
            }
            any = true;
            if (decimal == null && v.decimal() == null) {
                try {
                    integer = Math.addExact(integer, v.integer());
                    return;
                } catch (ArithmeticException overflow) {
                    decimal = BigDecimal.valueOf(integer);
                }
            }
            if (decimal == null) {
                decimal = BigDecimal.valueOf(integer);
            }
            decimal = decimal.add(v.number());
        }

        @Override
        protected void xFinal() throws SQLException {
            if (!any) {
                result();
            } else if (decimal == null) {
                result(integer);
            } else {
                result(decimal.toPlainString());
            }
        }
    }

    /** Largest ({@code sign} 1) or smallest ({@code sign} -1) value, given back in the form it came in. */
    static final class Extreme extends Step {
        private final int sign;
        private Value best;

        Extreme(int sign) {
            this.sign = sign;
        }

        @Override
        protected void xStep() throws SQLException {
            Value v = read();
            if (v != null && (best == null || sign * v.compareTo(best) > 0)) {
                best = v;
            }
        }

        @Override
        protected void xFinal() throws SQLException {
            if (best == null) {
                result();
            } else if (best.type() == INTEGER) {
                result(best.integer());
            } else if (best.type() == FLOAT) {
                result(best.decimal().doubleValue());
            } else {
                result(best.isNumber() ? best.decimal().toPlainString() : best.text());
            }
        }
    }
}
