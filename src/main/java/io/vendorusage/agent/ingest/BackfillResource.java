package io.vendorusage.agent.ingest;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.common.annotation.Blocking;
import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/**
 * The operator's replay of usage older than {@code agent.ingest.max-lateness}: the ingest bodies and rules, judged
 * against the org's billing period instead of the lateness limit. Blocking: it may read an org's period from Genesys.
 */
@Path("/v1/backfill/usage-events")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ingest")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class BackfillResource {

    static final String BACKFILL_EVENTS = """
            [{"eventId":"openapi-backfill-0001","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e",\
            "appId":"premium-minutes","quantity":40},\
            {"eventId":"openapi-backfill-0002","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e",\
            "appId":"premium-minutes","quantity":2.5}]""";
    static final String BACKFILL_CLOUD_EVENTS = """
            [{"specversion":"1.0","id":"openapi-backfill-0003","source":"//meter.example.com/premium",\
            "type":"premium-minutes","subject":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","data":{"quantity":3}}]""";

    private final BackfillService service;

    public BackfillResource(BackfillService service) {
        this.service = service;
    }

    @POST
    @Blocking
    @Consumes({ MediaType.APPLICATION_JSON, BodyForm.CLOUD_EVENT_TYPE, BodyForm.CLOUD_EVENT_BATCH_TYPE })
    @ResponseStatus(202)
    @Operation(operationId = "backfillEvents", summary = "Replay usage older than the ingest's lateness limit",
            description = "The bodies and rules of POST /v1/usage-events (one event or 1 to 1000, all or nothing,"
                    + " duplicates counted once, CloudEvents too), except that occurredAt may be older than"
                    + " agent.ingest.max-lateness: each event is taken while the org's billing period holding it"
                    + " closed no more than agent.submission.closed-period-grace ago. The agent reads the org's"
                    + " period from Genesys when it holds none; when it cannot, an event that may still be billable is"
                    + " taken (Genesys decides) and one older than any monthly period holding it is refused.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = { UsageEventRequest.class, UsageEventRequest[].class }),
                    examples = @ExampleObject(name = "a batch", value = BACKFILL_EVENTS)),
            @Content(mediaType = BodyForm.CLOUD_EVENT_TYPE, schema = @Schema(implementation = CloudEventDoc.class)),
            @Content(mediaType = BodyForm.CLOUD_EVENT_BATCH_TYPE,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                            implementation = CloudEventDoc.class, minItems = 1, maxItems = EventParser.MAX_EVENTS),
                    examples = @ExampleObject(name = "a CloudEvents batch", value = BACKFILL_CLOUD_EVENTS)) })
    @APIResponse(responseCode = "202", description = "Every event is stored (or was already).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IngestResponse.class)))
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    @APIResponse(ref = ApiDocs.CONFLICT, responseCode = "409")
    @APIResponse(ref = ApiDocs.TOO_LARGE, responseCode = "413")
    @APIResponse(ref = ApiDocs.UNSUPPORTED, responseCode = "415")
    @APIResponse(ref = ApiDocs.UNAVAILABLE, responseCode = "503")
    public CompletionStage<IngestResponse> backfill(byte[] body,
            @Parameter(hidden = true) @HeaderParam("Content-Type") String contentType) {
        return service.backfill(body, BodyForm.of(contentType));
    }

    /** Any other body type: 415. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true) // the 415 of backfillEvents
    public void unsupported() {
        throw BodyForm.unsupported();
    }
}
