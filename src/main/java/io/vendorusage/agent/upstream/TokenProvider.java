package io.vendorusage.agent.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caches the OAuth access token and refreshes it before it expires (a minute early, or half its life for
 * short tokens). The token never leaves this class except as the bearer of a call.
 */
@ApplicationScoped
public class TokenProvider {

    private static final Duration EARLY = Duration.ofSeconds(60);

    private final GuardedCalls calls;
    private final GenesysAccess endpoints;
    private final UpstreamMetrics metrics;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.EPOCH;

    public TokenProvider(GuardedCalls calls, GenesysAccess endpoints, UpstreamMetrics metrics, Clock clock) {
        this.calls = calls;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @return a valid access token
     * @throws UpstreamException.Retryable when no credentials are configured or the login service refuses
     */
    public synchronized String accessToken() {
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        GenesysAccess.Credentials credentials = endpoints.credentials().orElseThrow(
                () -> new UpstreamException.Retryable("not-configured", null, null,
                        "no client credentials: set agent.genesys.client-id and agent.genesys.client-secret(-file)",
                        null, null, null));
        try {
            GuardedCalls.Token fresh = calls.fetchToken(credentials);
            Duration margin = fresh.expiresIn().compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY
                    : fresh.expiresIn().dividedBy(2);
            token = fresh.accessToken();
            refreshAt = clock.instant().plus(fresh.expiresIn()).minus(margin);
            metrics.tokenRefresh("success");
            return token;
        } catch (RuntimeException e) {
            metrics.tokenRefresh("failure");
            throw e;
        }
    }

    /** Drops {@code rejected} after the upstream answered 401 to it, so the next call fetches a new one. */
    public synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
        }
    }
}
