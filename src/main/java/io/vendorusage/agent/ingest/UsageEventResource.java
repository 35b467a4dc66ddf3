package io.vendorusage.agent.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.vendorusage.agent.http.Problems;

/** The vendor app's API: post usage events, look one up. */
@Path("/v1/usage-events")
@IngestAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public class UsageEventResource {

    private static final java.util.regex.Pattern EVENT_ID = java.util.regex.Pattern
            .compile(UsageEventRequest.EVENT_ID_PATTERN);

    private final IngestService service;

    public UsageEventResource(IngestService service) {
        this.service = service;
    }

    /** One event object or an array of 1..1000; 202 once all of them are durably stored. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<IngestResponse> ingest(byte[] body) {
        return RestResponse.accepted(service.ingest(body));
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
