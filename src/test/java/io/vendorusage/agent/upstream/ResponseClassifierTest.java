package io.vendorusage.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Classification of answers and failures, case by case (upstream-api.md, "Errors and rate limits"). */
class ResponseClassifierTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    private static UpstreamException classify(int status, String retryAfter) {
        Response.ResponseBuilder r = Response.status(status);
        if (retryAfter != null) {
            r.header("Retry-After", retryAfter);
        }
        return ResponseClassifier.forStatus(status, null, r.build(), CLOCK);
    }

    @Test
    void tooManyRequestsIsRateLimitedWithItsRetryAfter() {
        UpstreamException e = classify(429, "17");
        assertInstanceOf(UpstreamException.RateLimited.class, e);
        assertEquals(Duration.ofSeconds(17), ((UpstreamException.Retryable) e).retryAfter().orElseThrow());
    }

    @Test
    void retryAfterAsHttpDateIsUnderstood() {
        UpstreamException e = classify(429, "Mon, 23 Nov 2026 10:01:00 GMT");
        assertEquals(Duration.ofSeconds(60), ((UpstreamException.Retryable) e).retryAfter().orElseThrow());
    }

    @Test
    void unavailableWithRetryAfterIsSafeWithoutItAmbiguous() {
        assertInstanceOf(UpstreamException.Retryable.class, classify(503, "5"));
        assertInstanceOf(UpstreamException.Ambiguous.class, classify(503, null));
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 504, 501, 599 })
    void serverErrorsMayHaveBeenProcessed(int status) {
        assertInstanceOf(UpstreamException.Ambiguous.class, classify(status, null));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 403, 404, 409, 422 })
    void otherClientErrorsArePermanent(int status) {
        assertInstanceOf(UpstreamException.Permanent.class, classify(status, null));
    }

    @Test
    void unauthorizedIsSafeToResendAfterRefresh() {
        UpstreamException e = classify(401, null);
        assertInstanceOf(UpstreamException.Retryable.class, e);
        assertEquals(401, e.httpStatus());
    }

    @Test
    void refusedConnectionOrUnknownHostWasNeverSent() {
        assertInstanceOf(UpstreamException.Retryable.class,
                ResponseClassifier.forFailure(new ProcessingException(new ConnectException("Connection refused"))));
        assertInstanceOf(UpstreamException.Retryable.class,
                ResponseClassifier.forFailure(new ProcessingException(new UnknownHostException("api.example"))));
    }

    @Test
    void timeoutsAndBrokenConnectionsMayHaveBeenProcessed() {
        assertInstanceOf(UpstreamException.Ambiguous.class,
                ResponseClassifier.forFailure(new ProcessingException(new SocketTimeoutException("read timed out"))));
        assertInstanceOf(UpstreamException.Ambiguous.class,
                ResponseClassifier.forFailure(new ProcessingException(new IOException("Connection reset"))));
        assertInstanceOf(UpstreamException.Ambiguous.class,
                ResponseClassifier.forFailure(new IllegalStateException("something else")));
    }
}
