package io.vendorusage.agent.ingest;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shape of a CloudEvent the ingest API takes, for the OpenAPI document only (CloudEvents parses the JSON). */
@Schema(name = "CloudEvent", description = "CloudEvents 1.0, structured mode. Other attributes of 1 to 20 lower-case"
        + " letters and digits with a string, number or boolean value are extensions: accepted, not stored.")
record CloudEventDoc(
        @Schema(required = true, enumeration = "1.0") String specversion,
        @Schema(required = true, description = "becomes eventId, the idempotency key") String id,
        @Schema(required = true, description = "a URI-reference naming the emitter; not stored") String source,
        @Schema(required = true, description = "becomes appId") String type,
        @Schema(required = true, description = "becomes organizationId (a UUID)") String subject,
        @Schema(description = "becomes occurredAt; default: when the agent received it") String time,
        @Schema(enumeration = "application/json") String datacontenttype,
        @Schema(description = "not stored") String dataschema,
        @Schema(required = true) Data data) {

    /** The payload: its quantity is billed, other members are not stored. */
    @Schema(name = "CloudEventData", additionalProperties = Schema.True.class)
    record Data(@Schema(required = true, description = "a JSON number >= 0, at most 18 integer digits and 6 decimals")
            BigDecimal quantity) {
    }

}
