package io.vendorusage.agent.reconciliation;

import java.util.Arrays;
import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** How a reconciliation run went; stored, served and counted by its wire name. */
public enum RunOutcome {
    /** Every region and page was read. */
    SUCCESS,
    /** Some regions, pages or org details could not be read; the run says which. */
    PARTIAL,
    /** No region could be read. */
    FAILED,
    /** Another agent on the same store was reconciling; this one left its turn. */
    SKIPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire name in the {@code outcome} column. */
    @Converter
    public static class Column implements AttributeConverter<RunOutcome, String> {
        @Override
        public String convertToDatabaseColumn(RunOutcome outcome) {
            return outcome == null ? null : outcome.wire();
        }

        @Override
        public RunOutcome convertToEntityAttribute(String name) {
            return name == null ? null : Arrays.stream(values()).filter(o -> o.wire().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("unknown reconciliation outcome in the store: " + name));
        }
    }
}
