package io.vendorusage.agent.ingest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.vendorusage.agent.config.AccessTokens;
import io.vendorusage.agent.http.Problems;

/** Refuses ingest calls without the configured bearer token (compared in constant time). */
@Provider
@IngestAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class IngestAuthFilter implements ContainerRequestFilter {

    private final AccessTokens tokens;

    public IngestAuthFilter(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        tokens.ingest().ifPresent(token -> {
            if (!token.matches(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
                throw Problems.unauthorized("Send the ingest token as 'Authorization: Bearer <token>'.");
            }
        });
    }
}
