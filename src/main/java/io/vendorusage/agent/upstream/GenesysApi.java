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

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.Url;

/**
 * The upstream's endpoints as a declarative REST client, configured under {@code quarkus.rest-client.genesys.*}
 * (timeouts, the TLS configuration {@code genesys} of the TLS registry). Each call names its host with the
 * {@link Url} parameter, which {@link GenesysAccess} resolves from the region table, the overrides or the
 * sandbox on the agent's own port. Returns raw responses so every status is classified by the agent, not by a
 * default exception mapper.
 */
@RegisterRestClient(configKey = GenesysApi.CONFIG_KEY)
interface GenesysApi {

    /** The client's name under {@code quarkus.rest-client.*}. */
    String CONFIG_KEY = "genesys";
    String USAGE = "/api/v2/billing/vendorusage/organizations";

    /** The POST body: MeteredAppUsageCreate without the server-set fields. */
    record UsageBody(String appId, java.math.BigDecimal usageQuantity, String dateOccurred) {
    }

    /** The OAuth token endpoint of the login host (client-credentials grant). */
    @POST
    @Path("/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response token(@Url String loginUrl, @HeaderParam("Authorization") String basicAuthorization, String form);

    @POST
    @Path(USAGE + "/{organizationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response submit(@Url String apiUrl, @HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, UsageBody body);

    @GET
    @Path(USAGE + "/{organizationId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response organization(@Url String apiUrl, @HeaderParam("Authorization") String authorization,
            @PathParam("organizationId") String organizationId, @QueryParam("region") String region,
            @QueryParam("appIds") String appIds);

    @GET
    @Path(USAGE)
    @Produces(MediaType.APPLICATION_JSON)
    Response organizations(@Url String apiUrl, @HeaderParam("Authorization") String authorization,
            @QueryParam("region") String region, @QueryParam("appIds") String appIds,
            @QueryParam("pageSize") Integer pageSize, @QueryParam("after") String after);
}
