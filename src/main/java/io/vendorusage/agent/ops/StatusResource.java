package io.vendorusage.agent.ops;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/** {@code GET /v1/status}: backlog, ledger, upstream state. */
@Path("/v1/status")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class StatusResource {

    private final StatusService status;

    public StatusResource(StatusService status) {
        this.status = status;
    }

    @GET
    @Operation(operationId = "status", summary = "Backlog, ledger and upstream at a glance",
            description = "Never shows a secret.")
    @APIResponse(responseCode = "200", description = "The status.")
    public StatusView status() {
        return status.status();
    }
}
