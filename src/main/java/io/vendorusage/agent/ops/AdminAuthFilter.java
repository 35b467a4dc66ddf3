package io.vendorusage.agent.ops;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.vendorusage.agent.config.AccessTokens;
import io.vendorusage.agent.http.BearerToken;
import io.vendorusage.agent.http.ProblemException;

/**
 * Guards the operator API with its own token (a different scope from ingest). Without
 * {@code agent.admin.token} the operator API is off.
 */
@Provider
@AdminAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class AdminAuthFilter implements ContainerRequestFilter {

    private final AccessTokens tokens;

    public AdminAuthFilter(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        BearerToken token = tokens.admin().orElseThrow(() -> new ProblemException(403, "operator-api-off",
                "The operator API is off", "Set agent.admin.token (or agent.admin.token-file) to turn it on."));
        token.require(request.getHeaderString(HttpHeaders.AUTHORIZATION), "operator token");
    }
}
