package io.vendorusage.agent.web;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.vendorusage.agent.http.ApiDocs;
import io.vendorusage.agent.http.Problem;

/**
 * The OpenAPI document's frame (served at {@code /q/openapi} on the management port): what the API is, its two
 * bearer-token schemes and the problem responses the operations refer to by name. SmallRye OpenAPI reads it from
 * the JAX-RS application class.
 */
@OpenAPIDefinition(
        info = @Info(title = "vendorusage-agent", version = "1",
                description = "Usage events in, Genesys Cloud vendor-usage records out. The ingest API is the vendor"
                        + " app's; the operator API inspects and drives the ledger and reconciliation. Every error is"
                        + " an RFC 9457 problem document."),
        tags = {
                @Tag(name = "ingest", description = "The vendor app reports usage events (agent.ingest.token)."),
                @Tag(name = "submissions", description = "The ledger of usage records sent upstream."),
                @Tag(name = "reconciliation", description = "What was sent against what Genesys billed."),
                @Tag(name = "audit", description = "Billing questions: one organization's period, the period close."),
                @Tag(name = "notifications", description = "Signed webhooks the agent sends to the vendor's systems"
                        + " (failed, uncertain and settled records, drift, periods at risk, usage thresholds) and"
                        + " their delivery."),
                @Tag(name = "status", description = "Backlog, ledger and upstream at a glance.") },
        components = @Components(
                securitySchemes = {
                        @SecurityScheme(securitySchemeName = ApiDocs.INGEST_TOKEN, type = SecuritySchemeType.HTTP,
                                scheme = "bearer", description = "agent.ingest.token; ingest is open when none is set"),
                        @SecurityScheme(securitySchemeName = ApiDocs.ADMIN_TOKEN, type = SecuritySchemeType.HTTP,
                                scheme = "bearer", description = "agent.admin.token; without one the operator API"
                                        + " answers 403") },
                responses = {
                        @APIResponse(name = ApiDocs.INVALID, responseCode = "400",
                                description = "Invalid request; nothing was stored. errors[] names each bad event"
                                        + " (index), field and reason.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "invalid", value = """
                                                {"type":"https://vendorusage.io/problems/invalid-request",\
                                                "title":"The request is invalid","status":400,\
                                                "detail":"1 field is invalid; nothing was stored.",\
                                                "errors":[{"index":0,"field":"quantity",\
                                                "reason":"must be a JSON number, not string"}]}"""))),
                        @APIResponse(name = ApiDocs.UNAUTHORIZED, responseCode = "401",
                                description = "The bearer token is missing or wrong.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.FORBIDDEN, responseCode = "403",
                                description = "The operator API is off: no agent.admin.token is configured.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.NOT_FOUND, responseCode = "404", description = "Not found.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.CONFLICT, responseCode = "409",
                                description = "An eventId already stored (or repeated in the request) with other"
                                        + " content; nothing from the request was stored.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.TOO_LARGE, responseCode = "413",
                                description = "Body over 1 MiB or more than 1000 events.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.UNSUPPORTED, responseCode = "415",
                                description = "Not application/json, application/cloudevents+json or"
                                        + " application/cloudevents-batch+json.",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))),
                        @APIResponse(name = ApiDocs.UNAVAILABLE, responseCode = "503",
                                description = "The store cannot take writes now (or the agent is saturated); nothing"
                                        + " was stored. Retry after Retry-After seconds.",
                                headers = @Header(name = "Retry-After", description = "seconds to wait",
                                        schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums
                                                .SchemaType.INTEGER)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class))) }))
public class ApiDefinition extends Application {
    // the JAX-RS application class carries the definition; it adds nothing else, so every resource is found as before
}
