package io.vendorusage.agent.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Caches the OAuth access token and refreshes it before it expires (a minute early, or half its life for
 * short tokens). The token never leaves this class except as the bearer of a call.
 */
@ApplicationScoped
public class TokenProvider {

    private static final Logger LOG = Logger.getLogger(TokenProvider.class);
    private static final Duration EARLY = Duration.ofSeconds(60);

    private final GuardedCalls calls;
    private final GenesysAccess endpoints;
    private final UpstreamMetrics metrics;
    private final Clock clock;
    private String token;
    private Instant refreshAt = Instant.EPOCH;
    private volatile UpstreamException.CredentialsRejected rejected;
    private volatile Instant rejectedUntil = Instant.EPOCH;

    public TokenProvider(GuardedCalls calls, GenesysAccess endpoints, UpstreamMetrics metrics, Clock clock) {
        this.calls = calls;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @return a valid access token
     * @throws UpstreamException.Retryable when no credentials are configured or the login service refuses;
     *         {@link UpstreamException.CredentialsRejected} without a call while a rejection of the credentials
     *         holds ({@code agent.genesys.credentials-retry})
     */
    public synchronized String accessToken() {
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        UpstreamException.CredentialsRejected held = rejected;
        if (held != null && clock.instant().isBefore(rejectedUntil)) {
            throw held;
        }
        GenesysAccess.Credentials credentials = endpoints.credentials().orElseThrow(
                () -> new UpstreamException.Retryable(CallOutcome.NOT_CONFIGURED, null, null,
                        "no client credentials: set agent.genesys.client-id and agent.genesys.client-secret(-file)",
                        null, null, null));
        try {
            GuardedCalls.Token fresh = calls.fetchToken(credentials);
            Duration margin = fresh.expiresIn().compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY
                    : fresh.expiresIn().dividedBy(2);
            token = fresh.accessToken();
            refreshAt = clock.instant().plus(fresh.expiresIn()).minus(margin);
            rejected = null;
            metrics.tokenRefresh("success");
            return token;
        } catch (UpstreamException.CredentialsRejected e) {
            metrics.tokenRefresh("failure");
            rejected = e;
            rejectedUntil = clock.instant().plus(e.retryAfter().orElse(Duration.ofMinutes(5)));
            LOG.errorf("The login service rejected the OAuth client credentials (%s): no upstream call until %s;"
                    + " ingest keeps accepting. Check agent.genesys.client-id and the secret, and the OAuth client's"
                    + " IP allow-list", e.errorCode(), rejectedUntil);
            throw e;
        } catch (RuntimeException e) {
            metrics.tokenRefresh("failure");
            throw e;
        }
    }

    /** @return the rejection of the client credentials in force, if the last token request was one */
    public java.util.Optional<UpstreamException.CredentialsRejected> credentialsRejected() {
        return java.util.Optional.ofNullable(rejected);
    }

    /** @return when the token is asked for again after a rejection of the credentials, while one holds */
    public java.util.Optional<Instant> rejectedUntil() {
        return rejected != null && clock.instant().isBefore(rejectedUntil) ? java.util.Optional.of(rejectedUntil)
                : java.util.Optional.empty();
    }

    /** Drops {@code rejected} after the upstream answered 401 to it, so the next call fetches a new one. */
    public synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
        }
    }
}
