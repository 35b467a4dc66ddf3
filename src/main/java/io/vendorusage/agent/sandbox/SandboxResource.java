package io.vendorusage.agent.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.upstream.GenesysAccess;

/**
 * A built-in fake of the Genesys token and vendor-usage endpoints ({@code agent.sandbox.enabled}), so the
 * agent can be tried end to end without credentials. It answers 404 when the sandbox is off.
 */
@Path(GenesysAccess.SANDBOX_PATH)
public class SandboxResource {

    private static final String USAGE = SandboxAnswers.USAGE;

    private final SandboxUsage usage;
    private final SandboxAnswers answers;
    private final AgentConfig config;

    public SandboxResource(SandboxUsage usage, SandboxAnswers answers, AgentConfig config) {
        this.usage = usage;
        this.answers = answers;
        this.config = config;
    }

    /** The body of a usage POST, as the real API takes it. */
    public record UsageBody(String appId, BigDecimal usageQuantity, String dateOccurred) {
    }

    @POST
    @Path("/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@HeaderParam("Authorization") String authorization, String form) {
        enabled();
        if (authorization == null || !authorization.startsWith("Basic ") || form == null
                || !form.contains("grant_type=client_credentials")) {
            return Response.status(400).entity(Map.of("error", "invalid_request",
                    "error_description", "Basic client credentials and grant_type=client_credentials required"))
                    .build();
        }
        return Response.ok(Map.of("access_token", usage.issueToken(), "token_type", "bearer", "expires_in", 86400))
                .build();
    }

    @POST
    @Path(USAGE + "/{organizationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, UsageBody body) {
        enabled();
        Response refused = authorize(authorization);
        if (refused != null) {
            return refused;
        }
        if (body == null || body.appId() == null || body.usageQuantity() == null || body.dateOccurred() == null
                || body.usageQuantity().signum() < 0) {
            return error(400, "bad.request", "appId, usageQuantity (>= 0) and dateOccurred are required");
        }
        Instant occurred;
        try {
            occurred = Instant.parse(body.dateOccurred());
        } catch (DateTimeParseException e) {
            return error(400, "bad.request", "dateOccurred must be an ISO-8601 UTC date-time");
        }
        SandboxUsage.Received r = usage.add(organizationId, body.appId(), body.usageQuantity(), occurred);
        return Response.ok(answers.receipt(r, organizationId)).header("ININ-Correlation-Id", r.id()).build();
    }

    @GET
    @Path(USAGE)
    @Produces(MediaType.APPLICATION_JSON)
    public Response organizations(@HeaderParam("Authorization") String authorization,
            @QueryParam("region") String region, @QueryParam("appIds") String appIds,
            @QueryParam("pageSize") Integer pageSize, @QueryParam("after") String after) {
        enabled();
        Response refused = authorize(authorization);
        if (refused != null) {
            return refused;
        }
        int size = pageSize == null ? 25 : pageSize;
        if (size < 1 || size > 200) {
            return error(400, "bad.request", "pageSize must be between 1 and 200");
        }
        int from;
        try {
            from = after == null ? 0 : Math.max(0, Integer.parseInt(after));
        } catch (NumberFormatException e) {
            return error(400, "bad.request", "after is not a cursor this service issued");
        }
        return Response.ok(answers.listingPage(region, appFilter(appIds), appIds, size, from)).build();
    }

    @GET
    @Path(USAGE + "/{organizationId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response organization(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, @QueryParam("appIds") String appIds) {
        enabled();
        Response refused = authorize(authorization);
        if (refused != null) {
            return refused;
        }
        return Response.ok(answers.detail(organizationId, appFilter(appIds))).build();
    }

    private void enabled() {
        if (!config.sandbox().enabled()) {
            throw new jakarta.ws.rs.NotFoundException();
        }
    }

    private Response authorize(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !usage.validToken(authorization.substring(7))) {
            return error(401, "authentication.required", "No valid bearer token");
        }
        return null;
    }

    private static Set<String> appFilter(String appIds) {
        return appIds == null || appIds.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(appIds.split(",")));
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "code", code, "message", message)).build();
    }
}
