package io.vendorusage.agent.security;

/** Who may call an API: the two bearer tokens, each of its own scope. */
public enum TokenScope {
    /** The vendor app's ingest API ({@code agent.ingest.token}); open when no token is configured. */
    INGEST,
    /** The operator API ({@code agent.admin.token}); off (403) when no token is configured. */
    OPERATOR
}
