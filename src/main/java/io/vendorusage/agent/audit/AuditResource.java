package io.vendorusage.agent.audit;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.Blocking;
import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.outbox.EventIds;
import io.vendorusage.agent.security.TokenRequired;
import io.vendorusage.agent.security.TokenScope;

/**
 * Billing questions an operator answers for a customer: one organization's billing period, and the periods about to
 * close.
 */
@Path("/v1")
@TokenRequired(TokenScope.OPERATOR)
@Tag(name = "audit")
@SecurityRequirement(name = ApiDocs.ADMIN_TOKEN)
public class AuditResource {

    static final String CSV = "text/csv";
    private static final Pattern ORG = Pattern.compile(EventIds.ORGANIZATION_ID_PATTERN);

    private final BillingAudit audit;
    private final EventCsv csv;
    private final PeriodClose periods;
    private final AuditPeriod.Resolver spans;

    public AuditResource(BillingAudit audit, EventCsv csv, PeriodClose periods, AuditPeriod.Resolver spans) {
        this.audit = audit;
        this.csv = csv;
        this.periods = periods;
        this.spans = spans;
    }

    @GET
    @Path("organizations/{organizationId}/usage")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "organizationUsage", summary = "One organization's billing period",
            description = "Per app: the events accepted (count and quantity by status), the records of the period"
                    + " with their upstream confirmation, what the confirmed records bill, and the latest"
                    + " reconciliation's upstream figure. With Accept: text/csv, one row per event with the record it"
                    + " went into, streamed (the period in the Billing-Period-Start, -End and -Source headers).")
    @APIResponse(responseCode = "200", description = "The audit (JSON), or one CSV row per event.",
            content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditView.class)),
                    @Content(mediaType = CSV, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations
                            .enums.SchemaType.STRING, description = "header: " + EventCsv.HEADER)) })
    @APIResponse(ref = ApiDocs.INVALID, responseCode = "400")
    public AuditView usage(@PathParam("organizationId") String organizationId,
            @Parameter(description = "current, previous (the organization's own billing periods), YYYY-MM-DD (its"
                    + " billing period holding that date) or YYYY-MM (the UTC calendar month)", required = true)
            @QueryParam("period") String period) {
        String org = organization(organizationId);
        return audit.report(org, spans.resolve(org, period));
    }

    /** The same question as CSV, one row per event, streamed from a cursor. */
    @GET
    @Path("organizations/{organizationId}/usage")
    @Produces(CSV)
    @Blocking
    @Operation(hidden = true) // the text/csv content of organizationUsage
    public Response usageCsv(@PathParam("organizationId") String organizationId, @QueryParam("period") String period) {
        String org = organization(organizationId);
        AuditPeriod span = spans.resolve(org, period);
        StreamingOutput body = out -> csv.write(org, span, out);
        String day = span.start().toString().substring(0, 10);
        return Response.ok(body, CSV + "; charset=utf-8").header("Content-Disposition",
                "attachment; filename=\"usage-" + org + "-" + (span.source().equals(AuditPeriod.CALENDAR)
                        ? span.name() : day) + ".csv\"")
                .header("Billing-Period-Start", span.start().toString())
                .header("Billing-Period-End", span.end().toString())
                .header("Billing-Period-Source", span.source()).build();
    }

    @GET
    @Path("periods/current")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "currentPeriod", summary = "The billing period about to close and what of it is unconfirmed",
            description = "When the current period closes (an organization's own billing period once reconciliation"
                    + " has read it, the UTC month otherwise), per organization and app the usage of it not yet"
                    + " confirmed upstream, and whether the rate budget can send it all before the close.")
    @APIResponse(responseCode = "200", description = "The period.")
    public PeriodView currentPeriod() {
        return periods.current();
    }

    private static String organization(String organizationId) {
        if (!ORG.matcher(organizationId).matches()) {
            throw Problems.invalid("organizationId must be a Genesys organization id (a UUID).", List.of());
        }
        return organizationId.toLowerCase(Locale.ROOT);
    }

}
