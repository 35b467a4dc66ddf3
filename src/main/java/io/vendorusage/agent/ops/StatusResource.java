package io.vendorusage.agent.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/status}: backlog, ledger, upstream state. */
@Path("/v1/status")
@AdminAuthenticated
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final StatusService status;

    public StatusResource(StatusService status) {
        this.status = status;
    }

    @GET
    public StatusView status() {
        return status.status();
    }
}
