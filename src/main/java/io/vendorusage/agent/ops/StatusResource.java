package io.vendorusage.agent.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/** {@code GET /v1/status}: backlog, ledger, upstream state. */
@Path("/v1/status")
@TokenRequired(TokenScope.OPERATOR)
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
