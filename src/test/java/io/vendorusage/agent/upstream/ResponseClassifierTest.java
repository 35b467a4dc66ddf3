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

    private static UpstreamException classify(int status, String body, String correlationHeader) throws Exception {
        Response.ResponseBuilder r = Response.status(status);
        if (correlationHeader != null) {
            r.header(ResponseClassifier.CORRELATION_HEADER, correlationHeader);
        }
        return ResponseClassifier.forStatus(status, body == null ? null
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.replace('\'', '"')), r.build(), CLOCK);
    }

    @Test
    void eachStatusCarriesItsOutcomeCodeMessageAndCorrelation() throws Exception {
        UpstreamException timeout = classify(408, "{'message':'gave up','code':'client.timeout','contextId':'ctx-1'}",
                "hdr-1");
        assertInstanceOf(UpstreamException.Ambiguous.class, timeout);
        assertEquals(CallOutcome.CLIENT_TIMEOUT, timeout.outcome());
        assertEquals("client.timeout", timeout.errorCode());
        assertEquals("HTTP 408: gave up", timeout.getMessage());
        assertEquals("ctx-1", timeout.correlationId(), "the body's contextId wins");
        assertEquals(408, timeout.httpStatus());
        UpstreamException tooLarge = classify(413, "{'message':'body too big','code':'request.entity.too.large'}", "h");
        assertInstanceOf(UpstreamException.Permanent.class, tooLarge);
        assertEquals(CallOutcome.REJECTED, tooLarge.outcome());
        org.junit.jupiter.api.Assertions.assertTrue(tooLarge.getMessage().startsWith("the request body was too large"),
                tooLarge.getMessage());
        assertEquals("h", tooLarge.correlationId(), "the header when the body has none");
        UpstreamException redirect = classify(302, null, null);
        assertInstanceOf(UpstreamException.Ambiguous.class, redirect);
        assertEquals(CallOutcome.UNEXPECTED_STATUS, redirect.outcome());
        assertEquals("HTTP 302", redirect.getMessage());
        org.junit.jupiter.api.Assertions.assertNull(redirect.correlationId());
        assertEquals(CallOutcome.SERVER_ERROR, classify(500, "{'message':null}", null).outcome());
        assertEquals("HTTP 500", classify(500, "{'message':null}", null).getMessage());
        assertEquals(CallOutcome.REJECTED, classify(499, null, null).outcome());
        assertEquals(CallOutcome.UNAUTHORIZED, classify(401, null, null).outcome());
        assertEquals(CallOutcome.RATE_LIMITED, classify(429, null, null).outcome());
        assertEquals(CallOutcome.UNAVAILABLE, classify(503, "5").outcome());
        assertEquals(Duration.ofSeconds(60), ((UpstreamException.Retryable) classify(429, null)).retryAfter().get(),
                "a 429 without Retry-After waits a minute");
    }

    @Test
    void longMessagesAreCutAt500Characters() throws Exception {
        UpstreamException e = classify(400, "{'message':'" + "x".repeat(600) + "','code':'" + "c".repeat(501) + "'}",
                null);
        assertEquals("HTTP 400: " + "x".repeat(500), e.getMessage());
        assertEquals("c".repeat(500), e.errorCode());
        assertEquals("x".repeat(500), ResponseClassifier.truncate("x".repeat(500), 500));
        org.junit.jupiter.api.Assertions.assertNull(ResponseClassifier.truncate(null, 5));
    }

    @Test
    void retryAfterIsNeverNegativeAndFallsBackToAMinute() {
        Response.ResponseBuilder r = Response.status(429);
        assertEquals(Duration.ZERO, ResponseClassifier.retryAfter(Response.status(429).header("Retry-After", "-5")
                .build(), CLOCK).get());
        assertEquals(Duration.ZERO, ResponseClassifier.retryAfter(Response.status(429).header("Retry-After",
                "Mon, 23 Nov 2026 09:00:00 GMT").build(), CLOCK).get(), "a date in the past");
        assertEquals(Duration.ofSeconds(60), ResponseClassifier.retryAfter(Response.status(429).header("Retry-After",
                "soon").build(), CLOCK).get());
        assertEquals(java.util.Optional.empty(), ResponseClassifier.retryAfter(r.header("Retry-After", " ").build(),
                CLOCK));
    }

    @Test
    void aRefusedConnectionDeepInTheCausesWasNeverSent() {
        UpstreamException e = ResponseClassifier.forFailure(new ProcessingException(new RuntimeException(
                new java.net.NoRouteToHostException("no route"))));
        assertEquals(CallOutcome.UNREACHABLE, e.outcome());
        assertEquals(CallOutcome.UNREACHABLE, ResponseClassifier.forFailure(new javax.net.ssl.SSLHandshakeException(
                "untrusted")).outcome());
        assertEquals(CallOutcome.NO_ANSWER, ResponseClassifier.forFailure(new SocketTimeoutException("read")).outcome());
    }
}
