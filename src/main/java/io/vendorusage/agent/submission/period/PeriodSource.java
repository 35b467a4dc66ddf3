package io.vendorusage.agent.submission.period;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Where a billing period the agent uses came from. */
public enum PeriodSource {
    /** Genesys named it (the org detail), or it lies between or before periods Genesys named. */
    UPSTREAM("upstream"),
    /** Not confirmed: no period of the org is known, or it lies after the last one Genesys named. */
    ASSUMED("assumed");

    private final String wire;

    PeriodSource(String wire) {
        this.wire = wire;
    }

    /** @return the name in the API, the store and metric tags */
    public String wire() {
        return wire;
    }

    public static PeriodSource fromWire(String wire) {
        for (PeriodSource s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown period source " + wire);
    }

    /** The wire name in a {@code period_source} column. */
    @Converter
    public static class Column implements AttributeConverter<PeriodSource, String> {
        @Override
        public String convertToDatabaseColumn(PeriodSource source) {
            return source == null ? null : source.wire;
        }

        @Override
        public PeriodSource convertToEntityAttribute(String name) {
            return name == null ? null : fromWire(name);
        }
    }
}
