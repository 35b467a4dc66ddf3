package io.vendorusage.agent.upstream;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The agent's view of Genesys Cloud: sends a usage record and either returns the receipt or throws an
 * {@link UpstreamException} that says whether the record may have been billed. Every call waits for the
 * shared {@link RateLimiter}; a 401 is answered with one token refresh and one more try (a 401 was not
 * processed, so this cannot bill twice).
 */
@ApplicationScoped
public class GenesysClient {

    private final GuardedCalls calls;
    private final TokenProvider tokens;
    private final RateLimiter limiter;

    public GenesysClient(GuardedCalls calls, TokenProvider tokens, RateLimiter limiter) {
        this.calls = calls;
        this.tokens = tokens;
        this.limiter = limiter;
    }

    /**
     * @param maxWait how long to wait for a rate-limit slot before giving up (nothing is sent then)
     */
    public UsageReceipt submit(UsageRecord record, Duration maxWait) {
        for (int attempt = 1;; attempt++) {
            String token = tokens.accessToken();
            limiter.acquire(maxWait);
            try {
                return calls.postUsage(token, record);
            } catch (UpstreamException.Unauthorized e) {
                if (attempt == 1) {
                    tokens.invalidate(token);
                    continue;
                }
                throw e;
            } catch (CircuitBreakerOpenException e) {
                throw new UpstreamException.Retryable(CallOutcome.CIRCUIT_OPEN, null, null,
                        "the upstream circuit breaker is open; nothing was sent", null, null, null);
            } catch (TimeoutException e) {
                throw new UpstreamException.Ambiguous(CallOutcome.TIMEOUT, null, null,
                        "no answer within the fault-tolerance timeout", null, e);
            }
        }
    }

    /** A page of the per-region usage listing (pageSize at most 200). */
    public UsagePage organizationsPage(String region, String appIds, int pageSize, String after) {
        return withToken(token -> calls.organizationsPage(token, region, appIds, pageSize, after));
    }

    /** One org's billing period and per-app usage. */
    public OrganizationDetail organizationDetail(String organizationId, String appIds) {
        return withToken(token -> calls.organizationDetail(token, organizationId, appIds));
    }

    /** Runs a read with a token; a 401 gets one token refresh and one more try. */
    private <T> T withToken(java.util.function.Function<String, T> read) {
        for (int attempt = 1;; attempt++) {
            String token = tokens.accessToken();
            try {
                return read.apply(token);
            } catch (UpstreamException.Unauthorized e) {
                if (attempt == 1) {
                    tokens.invalidate(token);
                    continue;
                }
                throw e;
            } catch (TimeoutException e) {
                throw new UpstreamException.Ambiguous(CallOutcome.TIMEOUT, null, null, "no answer within the timeout", null, e);
            }
        }
    }
}
