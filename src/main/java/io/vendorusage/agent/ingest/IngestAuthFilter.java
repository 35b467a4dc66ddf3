package io.vendorusage.agent.ingest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import io.vendorusage.agent.config.AccessTokens;

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
        tokens.ingest().ifPresent(token -> token.require(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                "ingest token"));
    }
}
