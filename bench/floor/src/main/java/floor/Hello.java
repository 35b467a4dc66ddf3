package floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The one endpoint of the start-up floor: answered once the application is up. */
@Path("/hello")
public class Hello {

    @GET
    public String hello() {
        return "ok";
    }
}
