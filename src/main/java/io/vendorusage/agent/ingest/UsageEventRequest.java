package io.vendorusage.agent.ingest;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.vendorusage.agent.outbox.EventIds;

/**
 * One usage event as the vendor's app sends it, as the OpenAPI document shows it. Its field rules are checked by
 * {@link EventRules} (in code: a Bean Validation constraint here would have Quarkus build a validator at every
 * start for this one class); rules that need the clock, the configuration or the store live there and in the
 * outbox.
 */
public record UsageEventRequest(
        @Schema(required = true, pattern = EventIds.EVENT_ID_PATTERN)
        String eventId,

        @Schema(required = true, pattern = EventIds.ORGANIZATION_ID_PATTERN)
        String organizationId,

        @Schema(required = true, pattern = EventIds.APP_ID_PATTERN)
        String appId,

        @Schema(required = true, minimum = "0", multipleOf = 0.000001)
        BigDecimal quantity,

        String occurredAt) {

    /** The fields an event may carry; any other is refused so a misspelt field never drops data. */
    static final java.util.Set<String> FIELDS = java.util.Set.of("eventId", "organizationId", "appId", "quantity",
            "occurredAt");
}
