package io.vendorusage.agent.ingest;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;


import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;
import io.vendorusage.agent.outbox.EventIds;
import io.vendorusage.agent.http.ProblemException;

/** The vendor app's API: post usage events, look one up. */
@Path("/v1/usage-events")
@TokenRequired(TokenScope.INGEST)
@Produces(MediaType.APPLICATION_JSON)
public class UsageEventResource {

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
    public CompletionStage<IngestResponse> ingest(byte[] body) {
        return service.ingest(body, BodyForm.JSON);
    }

    /** One CloudEvent 1.0 in structured mode, with every rule and answer of the JSON form. */
    @POST
    @Consumes(BodyForm.CLOUD_EVENT_TYPE)
    @ResponseStatus(202)
    public CompletionStage<IngestResponse> ingestCloudEvent(byte[] body) {
        return service.ingest(body, BodyForm.CLOUD_EVENT);
    }

    /** A batch of 1..1000 CloudEvents 1.0, all stored or none. */
    @POST
    @Consumes(BodyForm.CLOUD_EVENT_BATCH_TYPE)
    @ResponseStatus(202)
    public CompletionStage<IngestResponse> ingestCloudEventBatch(byte[] body) {
        return service.ingest(body, BodyForm.CLOUD_EVENT_BATCH);
    }

    /** Any other body type: 415, answered here so that the refusal is counted with the ingest refusals. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public void unsupported() {
        throw new ProblemException(415, "unsupported-media-type", "Unsupported Media Type",
                "Send the body as application/json, " + BodyForm.CLOUD_EVENT_TYPE + " or "
                        + BodyForm.CLOUD_EVENT_BATCH_TYPE + ".");
    }

    /** A stored event and how far it has travelled. */
    @GET
    @Path("{eventId}")
    public UsageEventView get(@PathParam("eventId") String eventId) {
        if (!EVENT_ID.matcher(eventId).matches()) {
            // never a valid id, so never stored; also keeps bytes some stores refuse (NUL) away from them
            throw Problems.notFound("No event with this eventId is stored.");
        }
        return service.find(eventId)
                .orElseThrow(() -> Problems.notFound("No event with this eventId is stored."));
    }
}
