package io.vendorusage.agent.ingest;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.vendorusage.agent.outbox.EventIds;

/**
 * One usage event as the vendor's app sends it. Field-level rules live here as constraints; rules
 * that need the clock, the configuration or the store live in {@link EventParser} and the outbox.
 */
public record UsageEventRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = EventIds.EVENT_ID_PATTERN,
                message = "must be 1 to 128 characters of letters, digits and . _ : -")
        String eventId,

        @NotNull(message = "is required")
        @Pattern(regexp = EventIds.ORGANIZATION_ID_PATTERN, message = "must be a UUID")
        String organizationId,

        @NotNull(message = "is required")
        @Pattern(regexp = EventIds.APP_ID_PATTERN,
                message = "must be 1 to 128 characters, without control characters or surrounding spaces")
        String appId,

        @NotNull(message = "is required")
        @DecimalMin(value = "0", message = "must be zero or more")
        @Digits(integer = 18, fraction = 6, message = "must have at most 18 integer digits and 6 decimals")
        BigDecimal quantity,

        String occurredAt) {

    /** The fields an event may carry; any other is refused so a misspelt field never drops data. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("eventId", "organizationId", "appId", "quantity",
            "occurredAt");
}
