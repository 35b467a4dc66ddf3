package io.vendorusage.agent.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns upstream answers into the agent's outcome classes, as upstream-api.md lays them down for a POST:
 * 429, 503 with Retry-After, refused connections, failed TLS handshakes and 401 are safe to resend; 408, 500, 502, 504,
 * other 5xx, timeouts and broken connections may have been processed; other 4xx (413 with a message saying so) are
 * permanent. Unknown cases fall
 * on the side of "may have been processed".
 */
final class ResponseClassifier {

    static final String CORRELATION_HEADER = "ININ-Correlation-Id";

    private ResponseClassifier() {
    }

    /** @return the exception for a non-2xx answer */
    static UpstreamException forStatus(int status, JsonNode body, Response response, Clock clock) {
        String code = text(body, "code");
        String message = summary(status, body);
        String correlation = correlationId(body, response);
        Optional<Duration> retryAfter = retryAfter(response, clock);
        if (status == 429) {
            return new UpstreamException.RateLimited(status, message, correlation,
                    retryAfter.orElse(Duration.ofSeconds(60)));
        }
        if (status == 503 && retryAfter.isPresent()) {
            return new UpstreamException.Retryable(CallOutcome.UNAVAILABLE, status, code, message, correlation,
                    retryAfter.get(), null);
        }
        if (status == 401) {
            return new UpstreamException.Unauthorized(code, message, correlation);
        }
        if (status == 408) {
            // client.timeout: Genesys gave up reading or answering; it may or may not have processed the POST
            return new UpstreamException.Ambiguous(CallOutcome.CLIENT_TIMEOUT, status, code, message, correlation, null);
        }
        if (status == 413) {
            return new UpstreamException.Permanent(status, code, "the request body was too large for the upstream ("
                    + message + "); a usage record is a few hundred bytes, so a proxy between the agent and Genesys"
                    + " may be limiting bodies", correlation);
        }
        if (status >= 500) {
            return new UpstreamException.Ambiguous(CallOutcome.SERVER_ERROR, status, code, message, correlation, null);
        }
        if (status >= 400) {
            return new UpstreamException.Permanent(status, code, message, correlation);
        }
        // 1xx/3xx to a POST: nothing says whether it was processed
        return new UpstreamException.Ambiguous(CallOutcome.UNEXPECTED_STATUS, status, code, message, correlation, null);
    }

    /** @return the exception for a call that got no HTTP answer */
    static UpstreamException forFailure(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException || c instanceof javax.net.ssl.SSLHandshakeException) {
                return new UpstreamException.Retryable(CallOutcome.UNREACHABLE, null, null,
                        "no connection to the upstream: " + c.getClass().getSimpleName(), null, null, failure);
            }
        }
        return new UpstreamException.Ambiguous(CallOutcome.NO_ANSWER, null, null,
                "the request may have reached the upstream but no answer came back: "
                        + failure.getClass().getSimpleName(), null, failure);
    }

    static Optional<Duration> retryAfter(Response response, Clock clock) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(Duration.between(clock.instant(), at).isNegative() ? Duration.ZERO
                        : Duration.between(clock.instant(), at));
            } catch (RuntimeException unparsable) {
                return Optional.of(Duration.ofSeconds(60));
            }
        }
    }

    static String correlationId(JsonNode body, Response response) {
        String contextId = text(body, "contextId");
        return contextId != null ? contextId : response.getHeaderString(CORRELATION_HEADER);
    }

    static String text(JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        return node == null || node.isNull() ? null : truncate(node.asText(), 500);
    }

    private static String summary(int status, JsonNode body) {
        String message = text(body, "message");
        return "HTTP " + status + (message == null ? "" : ": " + message);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
