package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** A declared REST client, as the agent's upstream client is (never called). */
@RegisterRestClient(configKey = "upstream")
@Path("/")
public interface Upstream {

    @GET
    String ping();
}
