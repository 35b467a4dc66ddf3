package io.vendorusage.agent.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.Secrets;

/**
 * The ingest and operator bearer tokens, resolved once at start-up (inline or from a file) so that an
 * unreadable token file stops the agent immediately, naming the property.
 */
@Startup
@ApplicationScoped
public class AccessTokens {

    private final Optional<BearerToken> ingest;
    private final Optional<BearerToken> admin;

    public AccessTokens(AgentConfig config) {
        this.ingest = Secrets.resolve("agent.ingest.token", config.ingest().token(), config.ingest().tokenFile())
                .map(BearerToken::new);
        this.admin = Secrets.resolve("agent.admin.token", config.admin().token(), config.admin().tokenFile())
                .map(BearerToken::new);
    }

    /** @return the ingest token; ingest is open to any caller on the port when empty */
    public Optional<BearerToken> ingest() {
        return ingest;
    }

    /** @return the operator token; the operator API is off when empty */
    public Optional<BearerToken> admin() {
        return admin;
    }
}
