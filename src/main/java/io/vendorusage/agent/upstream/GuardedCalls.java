package io.vendorusage.agent.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.vendorusage.agent.config.AgentConfig;

/**
 * The HTTP layer under {@link GenesysClient}: single upstream calls through {@link GenesysApi} to the hosts
 * {@link GenesysAccess} names, each
 * turned into a result or a classified {@link UpstreamException} inside the
 * fault-tolerance guards. The usage POST has a circuit breaker and a timeout but is never retried here;
 * the token call and the reads, which bill nothing, are retried. Which outcomes trip, retry or abort is code;
 * every number (thresholds, delays, retries, timeouts) is configuration, under
 * {@code quarkus.fault-tolerance."io.vendorusage.agent.upstream.GuardedCalls/<method>".*} in
 * application.properties.
 */
@ApplicationScoped
class GuardedCalls {

    private final GenesysAccess endpoints;
    private final AgentConfig config;
    private final ObjectMapper mapper;
    private final RateLimiter limiter;
    private final UpstreamMetrics metrics;
    private final Clock clock;
    private final GenesysApi api;

    /** A fresh access token; {@link #toString()} hides it. */
    public record Token(String accessToken, Duration expiresIn) {
        @Override
        public String toString() {
            return "Token[redacted, expiresIn=" + expiresIn + "]";
        }
    }

    GuardedCalls(@RestClient GenesysApi api, GenesysAccess endpoints, AgentConfig config, ObjectMapper mapper,
            RateLimiter limiter, UpstreamMetrics metrics, Clock clock) {
        this.api = api;
        this.endpoints = endpoints;
        this.config = config;
        this.mapper = mapper;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** POSTs one usage record. Never retried here: a repeat may bill twice. */
    @CircuitBreaker(skipOn = { UpstreamException.Permanent.class, UpstreamException.RateLimited.class,
            UpstreamException.Unauthorized.class })
    @CircuitBreakerName(GuardedCallsBreaker.NAME)
    @Timeout
    public UsageReceipt postUsage(String accessToken, UsageRecord record) {
        var body = new GenesysApi.UsageBody(record.appId(), record.quantity().stripTrailingZeros(),
                record.dateOccurred().toString());
        long t0 = System.nanoTime();
        Response response;
        try {
            response = api.submit(apiUrl(), "Bearer " + accessToken, record.organizationId(), body);
        } catch (RuntimeException e) {
            metrics.postTook(System.nanoTime() - t0);
            UpstreamException classified = ResponseClassifier.forFailure(e);
            metrics.request("usage-post", classified instanceof UpstreamException.Retryable ? "unreachable" : "io-error");
            throw classified;
        }
        metrics.postTook(System.nanoTime() - t0);
        try (response) {
            int status = response.getStatus();
            metrics.request("usage-post", String.valueOf(status));
            JsonNode json = readJson(response);
            observeRateHeaders(response);
            if (status >= 200 && status < 300) {
                return new UsageReceipt(status, ResponseClassifier.text(json, "id"),
                        ResponseClassifier.text(json, "confirmation"),
                        ResponseClassifier.correlationId(json, response));
            }
            throw blockIfLimited(ResponseClassifier.forStatus(status, json, response, clock));
        }
    }

    /** One page of the per-region usage listing; retried, since a GET bills nothing. */
    @Retry(retryOn = UpstreamException.class, abortOn = { UpstreamException.RateLimited.class,
            UpstreamException.Permanent.class, UpstreamException.Unauthorized.class })
    @Timeout
    public UsagePage organizationsPage(String accessToken, String region, String appIds, int pageSize,
            String after) {
        limiter.acquire(config.submission().interval());
        return UsageParser.page(get("usage-list",
                () -> api.organizations(apiUrl(), "Bearer " + accessToken, region, appIds, pageSize, after)));
    }

    /** One org's billing period and usage detail; retried, since a GET bills nothing. */
    @Retry(retryOn = UpstreamException.class, abortOn = { UpstreamException.RateLimited.class,
            UpstreamException.Permanent.class, UpstreamException.Unauthorized.class })
    @Timeout
    public OrganizationDetail organizationDetail(String accessToken, String organizationId, String appIds) {
        limiter.acquire(config.submission().interval());
        return UsageParser.detail(get("usage-org",
                () -> api.organization(apiUrl(), "Bearer " + accessToken, organizationId, null, appIds)));
    }

    private JsonNode get(String endpoint, java.util.function.Supplier<Response> call) {
        Response response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            metrics.request(endpoint, "io-error");
            throw ResponseClassifier.forFailure(e);
        }
        try (response) {
            int status = response.getStatus();
            metrics.request(endpoint, String.valueOf(status));
            JsonNode json = readJson(response);
            observeRateHeaders(response);
            if (status == 200 && json != null) {
                return json;
            }
            if (status == 200) {
                throw new UpstreamException.Ambiguous(CallOutcome.UNREADABLE, status, null, "the answer was not JSON",
                        ResponseClassifier.correlationId(null, response), null);
            }
            throw blockIfLimited(ResponseClassifier.forStatus(status, json, response, clock));
        }
    }

    /** Fetches an access token with the client-credentials grant; retried, since it bills nothing. */
    @Retry(retryOn = UpstreamException.Retryable.class, abortOn = { UpstreamException.RateLimited.class,
            UpstreamException.Permanent.class, UpstreamException.CredentialsRejected.class })
    @Timeout
    public Token fetchToken(GenesysAccess.Credentials credentials) {
        limiter.acquire(config.submission().interval());
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (credentials.clientId() + ":" + credentials.clientSecret()).getBytes(StandardCharsets.UTF_8));
        Response response;
        try {
            response = api.token(endpoints.loginUrl().toString(), basic, "grant_type=client_credentials");
        } catch (RuntimeException e) {
            metrics.request("token", "io-error");
            UpstreamException classified = ResponseClassifier.forFailure(e);
            // a token request that got no answer billed nothing: always safe to repeat
            throw new UpstreamException.Retryable(CallOutcome.TOKEN_UNAVAILABLE, null, null, classified.getMessage(), null,
                    null, e);
        }
        try (response) {
            int status = response.getStatus();
            metrics.request("token", String.valueOf(status));
            JsonNode json = readJson(response);
            observeRateHeaders(response);
            if (status == 200 && json != null && json.hasNonNull("access_token")) {
                long seconds = json.path("expires_in").asLong(3600);
                return new Token(json.get("access_token").asText(), Duration.ofSeconds(Math.max(1, seconds)));
            }
            if (status == 429) {
                throw blockIfLimited(ResponseClassifier.forStatus(status, json, response, clock));
            }
            String error = ResponseClassifier.text(json, "error");
            String description = ResponseClassifier.text(json, "error_description");
            String code = ResponseClassifier.text(json, "code");
            String message = "token request answered HTTP " + status + (error == null ? "" : ": " + error)
                    + (code == null ? "" : " (" + code + ")") + (description == null ? "" : " (" + description + ")");
            String rejection = UpstreamException.CredentialsRejected.rejects(code) ? code
                    : UpstreamException.CredentialsRejected.rejects(error) ? error : null;
            if (rejection != null) {
                throw new UpstreamException.CredentialsRejected(status, rejection, message,
                        ResponseClassifier.correlationId(json, response), config.genesys().credentialsRetry());
            }
            throw new UpstreamException.Retryable(status >= 500 ? CallOutcome.TOKEN_UNAVAILABLE : CallOutcome.TOKEN_REFUSED, status,
                    error, message, ResponseClassifier.correlationId(json, response), null, null);
        }
    }

    private UpstreamException blockIfLimited(UpstreamException e) {
        if (e instanceof UpstreamException.Retryable r && r.retryAfter().isPresent()) {
            metrics.rateLimited();
            limiter.block(clock.instant().plus(r.retryAfter().get()),
                    "HTTP " + e.httpStatus() + " with Retry-After " + r.retryAfter().get().toSeconds() + "s");
        }
        return e;
    }

    /** A spent window ({@code inin-ratelimit-count >= allowed}) holds calls until it resets. */
    private void observeRateHeaders(Response response) {
        try {
            String count = response.getHeaderString("inin-ratelimit-count");
            String allowed = response.getHeaderString("inin-ratelimit-allowed");
            String reset = response.getHeaderString("inin-ratelimit-reset");
            if (count != null && allowed != null && reset != null
                    && Long.parseLong(count.trim()) >= Long.parseLong(allowed.trim())) {
                metrics.rateLimited();
                limiter.block(clock.instant().plusSeconds(Math.max(1, Long.parseLong(reset.trim()))),
                        "upstream rate-limit window spent (" + count.trim() + "/" + allowed.trim() + ")");
            }
        } catch (NumberFormatException ignored) {
            // malformed headers carry no usable limit
        }
    }

    private JsonNode readJson(Response response) {
        try {
            String text = response.hasEntity() ? response.readEntity(String.class) : null;
            return text == null || text.isBlank() ? null : mapper.readTree(text);
        } catch (Exception notJson) {
            return null;
        }
    }

    private String apiUrl() {
        return endpoints.apiUrl().toString();
    }
}
