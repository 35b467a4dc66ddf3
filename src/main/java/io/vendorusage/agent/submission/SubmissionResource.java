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

import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/** The operator's hands on the ledger: list, flush, retry. */
@Path("/v1/submissions")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
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
    public SubmitterService.PassReport flush() throws InterruptedException {
        return submitter.flush();
    }

    /** Sends a failed or held (uncertain) record again. */
    @POST
    @Path("{id}/retry")
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
