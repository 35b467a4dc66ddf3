package io.vendorusage.agent.ingest;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import io.vendorusage.agent.http.ApiDocs;


import io.vendorusage.agent.http.ProblemException;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;
import io.vendorusage.agent.outbox.EventIds;

/** The vendor app's API: post usage events, look one up. */
@Path("/v1/usage-events")
@TokenRequired(TokenScope.INGEST)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ingest")
@SecurityRequirement(name = ApiDocs.INGEST_TOKEN)
public class UsageEventResource {

    static final String ONE_EVENT = """
            {"eventId":"openapi-example-0001","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e",\
            "appId":"premium-minutes","quantity":12.5}""";
    static final String TWO_EVENTS = """
            [{"eventId":"openapi-example-0002","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e",\
            "appId":"premium-minutes","quantity":3},\
            {"eventId":"openapi-example-0003","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e",\
            "appId":"premium-minutes","quantity":0.25}]""";
    static final String CLOUD_EVENT = """
            {"specversion":"1.0","id":"openapi-example-0004","source":"//meter.example.com/premium",\
            "type":"premium-minutes","subject":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","data":{"quantity":7}}""";
    static final String CLOUD_EVENTS = """
            [{"specversion":"1.0","id":"openapi-example-0005","source":"//meter.example.com/premium",\
            "type":"premium-minutes","subject":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","data":{"quantity":1}}]""";

    private static final java.util.regex.Pattern EVENT_ID = java.util.regex.Pattern
            .compile(EventIds.EVENT_ID_PATTERN);

    private final IngestService service;

    public UsageEventResource(IngestService service) {
        this.service = service;
    }

    /**
     * One event object or an array of 1..1000 (or CloudEvents, below); 202 once all of them are durably stored. Parsing and validating
     * take no I/O, so they run on the I/O thread that read the body, and waiting for the commit holds no thread:
     * a thousand clients waiting for their commit cost no thousand threads.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @Operation(operationId = "ingestEvents", summary = "Report usage events",
            description = "One event or an array of 1 to 1000, stored all or nothing; 202 once they are committed"
                    + " and synced to disk. A resent event is a duplicate, counted once. The same endpoint takes"
                    + " CloudEvents 1.0 (application/cloudevents+json, application/cloudevents-batch+json): id,"
                    + " subject, type, time and data.quantity become eventId, organizationId, appId, occurredAt and"
                    + " quantity, under the same rules.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = { UsageEventRequest.class, UsageEventRequest[].class }),
                    examples = { @ExampleObject(name = "one event", value = ONE_EVENT),
                            @ExampleObject(name = "a batch", value = TWO_EVENTS) }),
            @Content(mediaType = BodyForm.CLOUD_EVENT_TYPE, schema = @Schema(implementation = CloudEventDoc.class),
                    examples = @ExampleObject(name = "one CloudEvent", value = CLOUD_EVENT)),
            @Content(mediaType = BodyForm.CLOUD_EVENT_BATCH_TYPE,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                            implementation = CloudEventDoc.class, minItems = 1, maxItems = EventParser.MAX_EVENTS),
                    examples = @ExampleObject(name = "a CloudEvents batch", value = CLOUD_EVENTS)) })
    @APIResponse(responseCode = "202", description = "Every event is stored (or was already).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IngestResponse.class)))
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    @APIResponse(ref = ApiDocs.CONFLICT, responseCode = "409")
    @APIResponse(ref = ApiDocs.TOO_LARGE, responseCode = "413")
    @APIResponse(ref = ApiDocs.UNSUPPORTED, responseCode = "415")
    @APIResponse(ref = ApiDocs.UNAVAILABLE, responseCode = "503")
    public CompletionStage<IngestResponse> ingest(byte[] body,
            @Parameter(hidden = true) @HeaderParam("ce-specversion") String binaryCloudEvent) {
        if (binaryCloudEvent != null) {
            // a CloudEvent in binary mode: its attributes are headers, the body is only its data
            throw Problems.invalid("CloudEvents are taken in structured mode only: send the whole event as the body"
                    + " with Content-Type " + BodyForm.CLOUD_EVENT_TYPE + ".", List.of());
        }
        return service.ingest(body, BodyForm.JSON);
    }

    /** One CloudEvent 1.0 in structured mode, with every rule and answer of the JSON form. */
    @POST
    @Consumes(BodyForm.CLOUD_EVENT_TYPE)
    @ResponseStatus(202)
    @Operation(hidden = true) // documented as a content type of ingestEvents: one operation per path and method
    public CompletionStage<IngestResponse> ingestCloudEvent(byte[] body) {
        return service.ingest(body, BodyForm.CLOUD_EVENT);
    }

    /** A batch of 1..1000 CloudEvents 1.0, all stored or none. */
    @POST
    @Consumes(BodyForm.CLOUD_EVENT_BATCH_TYPE)
    @ResponseStatus(202)
    @Operation(hidden = true) // as above
    public CompletionStage<IngestResponse> ingestCloudEventBatch(byte[] body) {
        return service.ingest(body, BodyForm.CLOUD_EVENT_BATCH);
    }

    /** Any other body type: 415, answered here so that the refusal is counted with the ingest refusals. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true) // the 415 of ingestEvents
    public void unsupported() {
        throw BodyForm.unsupported();
    }

    /** Cancels an event no record has taken beyond planned: it is never billed. */
    @DELETE
    @Path("{eventId}")
    @Operation(operationId = "cancelEvent", summary = "Cancel an event reported by mistake",
            description = "While no record carries the event, or the one that does is still planned (it is refigured"
                    + " without it), the event is cancelled and never billed: 200 with status cancelled, and 200 again"
                    + " for an event already cancelled. 409 names the record once it is being sent, sent, uncertain,"
                    + " confirmed or failed. Posting the cancelled event again is a duplicate and does not bring it"
                    + " back.")
    @APIResponse(responseCode = "200", description = "The event, cancelled.")
    @APIResponse(ref = ApiDocs.NOT_FOUND, responseCode = "404")
    @APIResponse(ref = ApiDocs.CONFLICT, responseCode = "409")
    @APIResponse(ref = ApiDocs.UNAVAILABLE, responseCode = "503")
    public UsageEventView cancel(@PathParam("eventId") String eventId) {
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw noSuchEvent();
        }
        return service.cancel(eventId).orElseThrow(UsageEventResource::noSuchEvent);
    }

    /** A stored event and how far it has travelled. */
    @GET
    @Path("{eventId}")
    @Operation(operationId = "getEvent", summary = "One stored event and how far it has travelled",
            description = "status is pending, submitted, failed or cancelled; submissionId names the record it went"
                    + " into; cancelledAt is set for a cancelled event.")
    @APIResponse(responseCode = "200", description = "The event.")
    @APIResponse(ref = ApiDocs.NOT_FOUND, responseCode = "404")
    public UsageEventView get(@PathParam("eventId") String eventId) {
        if (!EVENT_ID.matcher(eventId).matches()) {
            // never a valid id, so never stored; also keeps bytes some stores refuse (NUL) away from them
            throw noSuchEvent();
        }
        return service.find(eventId)
                .orElseThrow(UsageEventResource::noSuchEvent);
    }

    private static ProblemException noSuchEvent() {
        return Problems.notFound("No event with this eventId is stored.");
    }
}
