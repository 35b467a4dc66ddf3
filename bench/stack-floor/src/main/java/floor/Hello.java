package floor;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.faulttolerance.Timeout;

import io.quarkus.scheduler.Scheduled;

/** Answers once the application is up; reads the store, as the agent's readiness does. */
@Path("/hello")
public class Hello {

    @GET
    @Transactional
    @Timeout(5000)
    public String hello() {
        return "items: " + Item.count();
    }

    @Scheduled(every = "1h", delayed = "1h")
    void tick() {
        // a scheduled job, as the agent has
    }
}
