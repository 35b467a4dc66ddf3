package io.vendorusage.agent.submission;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.http.Problem;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/** The operator's hands on the ledger: list, flush, retry. */
@Path("/v1/submissions")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "submissions")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class SubmissionResource {

    /** Record ids are made by SubmissionIds: anything else cannot exist. */
    private static final java.util.regex.Pattern SUBMISSION_ID = java.util.regex.Pattern.compile("sub-[0-9a-f]{32}");

    private final LedgerQueries ledger;
    private final SubmitterService submitter;

    public SubmissionResource(LedgerQueries ledger, SubmitterService submitter) {
        this.ledger = ledger;
        this.submitter = submitter;
    }

    /** The ledger, most recently changed first; {@code state} filters, {@code limit} caps (1..1000). */
    @GET
    @Operation(operationId = "listSubmissions", summary = "The ledger of usage records",
            description = "Most recently changed first; state filters (planned, sending, confirmed, uncertain,"
                    + " failed), limit caps (1 to 1000).")
    @APIResponse(responseCode = "200", description = "The records.")
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    public List<SubmissionView> list(@QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw Problems.invalid("limit must be between 1 and 1000.", List.of());
        }
        return ledger.list(parseState(state), limit);
    }

    /** Aggregates and submits everything pending now, open windows included. */
    @POST
    @Path("flush")
    @Operation(operationId = "flushSubmissions", summary = "Aggregate and submit everything pending now",
            description = "Open windows included; answers what the pass did.")
    @APIResponse(responseCode = "200", description = "The pass's report.")
    public SubmitterService.PassReport flush() throws InterruptedException {
        return submitter.flush();
    }

    /** Sends a failed or held (uncertain) record again. */
    @POST
    @Path("{id}/retry")
    @Operation(operationId = "retrySubmission", summary = "Send a failed or held (uncertain) record again")
    @APIResponse(responseCode = "200", description = "The record, planned again.")
    @APIResponse(ref = ApiDocs.NOT_FOUND, responseCode = "404")
    @APIResponse(responseCode = "409", description = "The record is not failed or uncertain, so it cannot be retried.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SubmissionView retry(@PathParam("id") String id) {
        if (!SUBMISSION_ID.matcher(id).matches()) {
            throw Problems.notFound("No submission with this id.");
        }
        return ledger.retry(id);
    }

    private static Optional<SubmissionState> parseState(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SubmissionState.valueOf(state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("state must be one of planned, sending, confirmed, uncertain, failed.",
                    List.of());
        }
    }
}
