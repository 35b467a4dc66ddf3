package io.vendorusage.agent.reconciliation;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;
import io.vendorusage.agent.outbox.EventIds;

/** The reconciliation report and a way to run it now. */
@Path("/v1/reconciliation")
@TokenRequired(TokenScope.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reconciliation")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class ReconciliationResource {

    private static final java.util.regex.Pattern ORG = java.util.regex.Pattern.compile(
            EventIds.ORGANIZATION_ID_PATTERN);
    private static final java.util.regex.Pattern APP = java.util.regex.Pattern.compile("[^\\p{Cntrl}]{1,128}");

    private final ReconciliationQueries queries;
    private final ReconciliationService reconciliation;

    public ReconciliationResource(ReconciliationQueries queries, ReconciliationService reconciliation) {
        this.queries = queries;
        this.reconciliation = reconciliation;
    }

    /** The latest report, one row per org, app and billing period; filters by org, app and status. */
    @GET
    @Operation(operationId = "latestReconciliation", summary = "The latest reconciliation report",
            description = "One row per org, app and billing period; filter by org, app and status (match, drift,"
                    + " missing-upstream, unknown-upstream, pending...).")
    @APIResponse(responseCode = "200", description = "The report.")
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    @APIResponse(ref = ApiDocs.NOT_FOUND, responseCode = "404") // reconciliation has not run yet
    public ReconciliationReport latest(@QueryParam("org") String org, @QueryParam("app") String app,
            @QueryParam("status") String status, @QueryParam("limit") @DefaultValue("1000") int limit) {
        RowStatus wanted = status == null ? null : RowStatus.fromWire(status).orElseThrow(() -> Problems.invalid(
                "status must be one of " + String.join(", ", new java.util.TreeSet<>(java.util.Arrays
                        .stream(RowStatus.values()).map(RowStatus::wire).toList())) + ".", List.of()));
        if (org != null && !ORG.matcher(org).matches()) {
            throw Problems.invalid("org must be an organization id (a UUID).", List.of());
        }
        if (app != null && !APP.matcher(app).matches()) {
            throw Problems.invalid("app must be an app id: 1 to 128 characters without control characters.",
                    List.of());
        }
        if (limit < 1 || limit > 10_000) {
            throw Problems.invalid("limit must be between 1 and 10000.", List.of());
        }
        return queries.latest(org == null ? null : org.toLowerCase(Locale.ROOT), app, wanted, limit)
                .orElseThrow(() -> Problems.notFound("Reconciliation has not run yet; POST /v1/reconciliation/run."));
    }

    /** Past runs, newest first. */
    @GET
    @Path("runs")
    @Operation(operationId = "reconciliationRuns", summary = "Past reconciliation runs, newest first")
    @APIResponse(responseCode = "200", description = "The runs.")
    public List<ReconciliationReport.RunView> runs(@QueryParam("limit") @DefaultValue("50") int limit) {
        return queries.history(Math.max(1, Math.min(limit, 1000)));
    }

    /** Reconciles now and answers the run's summary. */
    @POST
    @Path("run")
    @Operation(operationId = "runReconciliation", summary = "Reconcile now", description = "Answers the run's summary.")
    @APIResponse(responseCode = "200", description = "The run.")
    public ReconciliationReport.RunView run() {
        return queries.summaryOf(reconciliation.run());
    }
}
