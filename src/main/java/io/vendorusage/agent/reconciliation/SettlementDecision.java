package io.vendorusage.agent.reconciliation;

import java.util.Arrays;
import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** What settling decided for one uncertain record; stored in the audit trail and counted by its wire name. */
public enum SettlementDecision {
    /** The upstream has it: confirmed. */
    CONFIRMED,
    /** The upstream does not have it: planned again, to be sent. */
    RESENT,
    /** The figures do not say: held for an operator. */
    HELD;

    /** @return the lower-case name in the store and the metrics */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire name in the {@code decision} column. */
    @Converter
    public static class Column implements AttributeConverter<SettlementDecision, String> {
        @Override
        public String convertToDatabaseColumn(SettlementDecision decision) {
            return decision == null ? null : decision.wire();
        }

        @Override
        public SettlementDecision convertToEntityAttribute(String name) {
            return name == null ? null : Arrays.stream(values()).filter(d -> d.wire().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("unknown settlement decision in the store: " + name));
        }
    }
}
