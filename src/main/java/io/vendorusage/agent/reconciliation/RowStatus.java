package io.vendorusage.agent.reconciliation;

import java.util.Arrays;
import java.util.Optional;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** How a report line came out; stored, served and tagged in metrics by its wire name. */
public enum RowStatus {
    /** The upstream bills what the agent confirmed. */
    MATCH("match"),
    /** The upstream is behind by records confirmed within {@code agent.reconciliation.upstream-lag}. */
    UPSTREAM_LAGGING("upstream-lagging"),
    /** Uncertain records not settled yet; the note says what they wait for. */
    UNCERTAIN_PENDING("uncertain-pending"),
    /** The figures differ and nothing explains it: for an operator. */
    DRIFT("drift"),
    /** Usage upstream for an org or app the agent never sent for (informational). */
    UNKNOWN_ORG("unknown-org");

    private final String wire;

    RowStatus(String wire) {
        this.wire = wire;
    }

    /** @return the name in the API, the store and the metrics */
    public String wire() {
        return wire;
    }

    public static Optional<RowStatus> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    /** The wire name in the {@code status} column. */
    @Converter
    public static class Column implements AttributeConverter<RowStatus, String> {
        @Override
        public String convertToDatabaseColumn(RowStatus status) {
            return status == null ? null : status.wire;
        }

        @Override
        public RowStatus convertToEntityAttribute(String name) {
            return name == null ? null : fromWire(name).orElseThrow(() -> new IllegalStateException(
                    "unknown reconciliation row status in the store: " + name));
        }
    }
}
