package io.vendorusage.agent.store;

import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.ValueExtractor;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.BasicExtractor;
import org.hibernate.type.descriptor.jdbc.DecimalJdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.spi.JdbcTypeRegistry;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsJdbcTimestampJdbcType;

/**
 * Hibernate's SQLite dialect with the agent's value forms ({@link StoreValues}): timestamps as fixed-width UTC
 * text with microseconds (the driver's own form keeps milliseconds only, and an event's time is kept to the
 * microsecond), decimals as exact plain text (SQLite's numeric affinity would turn 0.1 into a binary float).
 */
public class SqliteDialect extends SQLiteDialect {

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        JdbcTypeRegistry registry = typeContributions.getTypeConfiguration().getJdbcTypeRegistry();
        registry.addDescriptor(SqlTypes.TIMESTAMP_UTC, TimestampText.INSTANCE);
        registry.addDescriptor(SqlTypes.TIMESTAMP_WITH_TIMEZONE, TimestampText.INSTANCE);
        registry.addDescriptor(SqlTypes.TIMESTAMP, TimestampText.INSTANCE);
        registry.addDescriptor(SqlTypes.INSTANT, TimestampText.INSTANCE);
        registry.addDescriptor(SqlTypes.NUMERIC, DecimalText.INSTANCE);
        registry.addDescriptor(SqlTypes.DECIMAL, DecimalText.INSTANCE);
    }

    /** A point in time as the fixed-width text of {@link StoreValues#SQLITE_TIMESTAMP}. */
    static final class TimestampText extends TimestampUtcAsJdbcTimestampJdbcType {
        static final TimestampText INSTANCE = new TimestampText();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return textBinder(javaType, this,
                    (value, options) -> StoreValues.sqliteText(javaType.unwrap(value, Instant.class, options)));
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return textExtractor(javaType, this, StoreValues::parseInstant);
        }
    }

    /** An exact decimal as its plain text. */
    static final class DecimalText extends DecimalJdbcType {
        static final DecimalText INSTANCE = new DecimalText();

        @Override
        public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
            return textBinder(javaType, this,
                    (value, options) -> javaType.unwrap(value, BigDecimal.class, options).toPlainString());
        }

        @Override
        public <X> ValueExtractor<X> getExtractor(JavaType<X> javaType) {
            return textExtractor(javaType, this, BigDecimal::new);
        }
    }

    private static <X> ValueBinder<X> textBinder(JavaType<X> javaType, JdbcType jdbcType,
            BiFunction<X, WrapperOptions, String> toText) {
        return new BasicBinder<>(javaType, jdbcType) {
            @Override
            protected void doBind(PreparedStatement st, X value, int index, WrapperOptions options)
                    throws SQLException {
                st.setString(index, toText.apply(value, options));
            }

            @Override
            protected void doBind(CallableStatement st, X value, String name, WrapperOptions options)
                    throws SQLException {
                st.setString(name, toText.apply(value, options));
            }
        };
    }

    private static <X> ValueExtractor<X> textExtractor(JavaType<X> javaType, JdbcType jdbcType,
            Function<String, ?> fromText) {
        return new BasicExtractor<>(javaType, jdbcType) {
            @Override
            protected X doExtract(ResultSet rs, int index, WrapperOptions options) throws SQLException {
                return wrap(rs.getString(index), options);
            }

            @Override
            protected X doExtract(CallableStatement st, int index, WrapperOptions options) throws SQLException {
                return wrap(st.getString(index), options);
            }

            @Override
            protected X doExtract(CallableStatement st, String name, WrapperOptions options) throws SQLException {
                return wrap(st.getString(name), options);
            }

            private X wrap(String text, WrapperOptions options) {
                return javaType.wrap(text == null ? null : fromText.apply(text), options);
            }
        };
    }
}
