package io.vendorusage.agent.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/** Recent outbound notifications with their delivery attempts. */
@Path("/v1/notifications")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class NotificationResource {

    private static final Set<String> STATES = Set.of(NotificationStore.PENDING, NotificationStore.DELIVERED,
            NotificationStore.DROPPED);

    private final NotificationStore store;

    public NotificationResource(NotificationStore store) {
        this.store = store;
    }

    /** A notification and its attempts, as listed. */
    public record NotificationView(String id, String type, String subject, String state, int attempts,
            java.time.Instant createdAt, java.time.Instant nextAttemptAt, java.time.Instant finishedAt,
            String lastError, List<NotificationStore.Attempt> deliveryAttempts) {
    }

    @GET
    @Operation(operationId = "listNotifications", summary = "Recent notifications, newest first",
            description = "Each with its delivery attempts (time, agent, the receiver's status or the error, how"
                    + " long it took). Filter by state: pending (not delivered yet, retried), delivered, or dropped"
                    + " (undelivered past agent.notifications.max-age).")
    @APIResponse(responseCode = "200", description = "The notifications.")
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    public List<NotificationView> list(@QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (state != null && !STATES.contains(state)) {
            throw Problems.invalid("state must be one of delivered, dropped, pending.", List.of());
        }
        if (limit < 1 || limit > 1000) {
            throw Problems.invalid("limit must be between 1 and 1000.", List.of());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            List<NotificationStore.Row> rows = store.recent(Optional.ofNullable(state), limit);
            Map<String, List<NotificationStore.Attempt>> attempts = store.attempts(
                    rows.stream().map(NotificationStore.Row::id).toList());
            return rows.stream().map(r -> new NotificationView(r.id(), r.type(), r.subject(), r.state(), r.attempts(),
                    r.createdAt(), r.nextAttemptAt(), r.finishedAt(), r.lastError(),
                    attempts.getOrDefault(r.id(), List.of()))).toList();
        });
    }
}
