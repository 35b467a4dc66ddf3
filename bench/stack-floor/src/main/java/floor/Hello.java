package floor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.faulttolerance.Timeout;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Answers once the application is up; reads the store through the pool with one plain query, as the agent's
 * readiness check does (a first HQL query would add its parsing to the floor, which the agent's readiness does not
 * pay).
 */
@Path("/hello")
public class Hello {

    private final AgroalDataSource dataSource;

    public Hello(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GET
    @Timeout(5000)
    public String hello() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement read = c.prepareStatement("SELECT COUNT(*) FROM item WHERE id = -1");
                ResultSet rs = read.executeQuery()) {
            rs.next();
            return "items: " + rs.getLong(1);
        }
    }

    @Scheduled(every = "1h", delayed = "1h")
    void tick() {
        // a scheduled job, as the agent has
    }
}
