package io.vendorusage.agent.upstream;

import java.time.Duration;
import java.util.Optional;

/**
 * An upstream call that did not succeed, already classified by what it means for a usage POST.
 * Messages carry the upstream's own words, never a token or secret.
 */
public abstract sealed class UpstreamException extends RuntimeException
        permits UpstreamException.Retryable, UpstreamException.Ambiguous, UpstreamException.Permanent {

    private final CallOutcome outcome;
    private final Integer httpStatus;
    private final String errorCode;
    private final String correlationId;

    UpstreamException(CallOutcome outcome, Integer httpStatus, String errorCode, String message, String correlationId,
            Throwable cause) {
        super(message, cause, false, false);
        this.outcome = outcome;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.correlationId = correlationId;
    }

    /** @return how the call ended ({@code rate-limited}, {@code unavailable}, {@code no-answer}, ...) */
    public CallOutcome outcome() {
        return outcome;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    public String errorCode() {
        return errorCode;
    }

    public String correlationId() {
        return correlationId;
    }

    /** The request was certainly not processed: safe to send again, after {@link #retryAfter()} if given. */
    public static non-sealed class Retryable extends UpstreamException {
        private final Duration retryAfter;

        public Retryable(CallOutcome outcome, Integer httpStatus, String errorCode, String message, String correlationId,
                Duration retryAfter, Throwable cause) {
            super(outcome, httpStatus, errorCode, message, correlationId, cause);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        /**
         * @return whether the usage endpoint itself answered (and not with 429); calls held back locally,
         *         refused at connect, rate limited or stopped at the token step do not use up a record's
         *         attempts
         */
        public boolean reachedUpstream() {
            return httpStatus() != null && httpStatus() != 429 && !outcome().atTokenCall();
        }
    }

    /**
     * The login service rejected the client credentials themselves ({@code bad.credentials},
     * {@code credentials.expired}, {@code ip.not.authorized}): a configuration fault, not a passing one. Nothing was
     * sent; the token is asked for again only after {@link #retryAfter()}.
     */
    public static class CredentialsRejected extends Retryable {
        /** The login service's codes that mean the credentials, not the moment, are at fault. */
        public static final java.util.Set<String> CODES = java.util.Set.of("bad.credentials", "credentials.expired",
                "ip.not.authorized");

        /** @return whether the login service's code (or OAuth error) says the credentials are at fault */
        public static boolean rejects(String code) {
            return code != null && CODES.contains(code);
        }

        public CredentialsRejected(Integer httpStatus, String errorCode, String message, String correlationId,
                Duration retryAfter) {
            super(CallOutcome.TOKEN_CREDENTIALS_REJECTED, httpStatus, errorCode, message, correlationId, retryAfter, null);
        }
    }

    /** The upstream refused the access token (401): nothing was processed; refresh the token, then resend. */
    public static class Unauthorized extends Retryable {
        public Unauthorized(String errorCode, String message, String correlationId) {
            super(CallOutcome.UNAUTHORIZED, 401, errorCode, message, correlationId, null, null);
        }
    }

    /** Rate limited (by the upstream or by the agent's own limiter): retryable, and no sign of upstream ill health. */
    public static class RateLimited extends Retryable {
        public RateLimited(Integer httpStatus, String message, String correlationId, Duration retryAfter) {
            super(CallOutcome.RATE_LIMITED, httpStatus, null, message, correlationId, retryAfter, null);
        }
    }

    /** The request may have been processed: a sum record must not be sent again blindly. */
    public static final class Ambiguous extends UpstreamException {
        public Ambiguous(CallOutcome outcome, Integer httpStatus, String errorCode, String message, String correlationId,
                Throwable cause) {
            super(outcome, httpStatus, errorCode, message, correlationId, cause);
        }
    }

    /** Refused for good (400, 403, 404, 409, 422, ...): kept with the upstream's error for an operator. */
    public static final class Permanent extends UpstreamException {
        public Permanent(Integer httpStatus, String errorCode, String message, String correlationId) {
            super(CallOutcome.REJECTED, httpStatus, errorCode, message, correlationId, null);
        }
    }
}
