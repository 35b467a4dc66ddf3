package io.vendorusage.agent.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.vendorusage.agent.http.ProblemException;

/**
 * Checks the bearer token of the scope a resource names with {@link TokenRequired} (compared in constant time).
 * Ingest is open while no ingest token is configured; the operator API is off (403) while no operator token
 * is, since it can resend and settle billing records.
 */
@Provider
@TokenRequired(TokenScope.INGEST)
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

    private final AccessTokens tokens;

    @Context
    ResourceInfo resource;

    public BearerTokenFilter(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        switch (scope()) {
            case INGEST -> tokens.ingest().ifPresent(token -> token.require(header, "ingest token"));
            case OPERATOR -> tokens.admin().orElseThrow(() -> new ProblemException(403, "operator-api-off",
                    "The operator API is off", "Set agent.admin.token (or agent.admin.token-file) to turn it on."))
                    .require(header, "operator token");
        }
    }

    private TokenScope scope() {
        TokenRequired required = resource.getResourceMethod().getAnnotation(TokenRequired.class);
        if (required == null) {
            required = resource.getResourceClass().getAnnotation(TokenRequired.class);
        }
        // a filter bound by name runs only for annotated resources; the strictest scope if that ever fails
        return required == null ? TokenScope.OPERATOR : required.value();
    }
}
