package io.vendorusage.agent.upstream;

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

/**
 * The vendor-usage endpoints, as a Quarkus REST Client. Built programmatically by {@link GuardedCalls}
 * because the base URL comes from the region (or an override) at run time. Returns raw responses so
 * every status is classified by the agent, not by a default exception mapper.
 */
@Path("/api/v2/billing/vendorusage/organizations")
interface VendorUsageApi {

    /** The POST body: MeteredAppUsageCreate without the server-set fields. */
    record UsageBody(String appId, java.math.BigDecimal usageQuantity, String dateOccurred) {
    }

    @POST
    @Path("{organizationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response submit(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, UsageBody body);

    @GET
    @Path("{organizationId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response organization(@HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, @QueryParam("region") String region,
            @QueryParam("appIds") String appIds);

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response organizations(@HeaderParam("Authorization") String authorization, @QueryParam("region") String region,
            @QueryParam("appIds") String appIds, @QueryParam("pageSize") Integer pageSize,
            @QueryParam("after") String after);
}
