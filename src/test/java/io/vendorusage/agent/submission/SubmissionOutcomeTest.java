package io.vendorusage.agent.submission;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Every outcome class of a usage POST, against WireMock, with upstream request counts verified. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class SubmissionOutcomeTest extends UpstreamTest {

    @Test
    void confirmedRecordMarksItsEventsSubmitted() {
        stubUsageOk();
        Map<String, Object> a = event(SUM_APP, 2);
        Map<String, Object> b = event(SUM_APP, new BigDecimal("1.25"));
        ingest(List.of(a, b));
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.CONFIRMED, s.state);
        assertEquals("conf-1", s.confirmation);
        assertEquals(1, posts().size());
        var body = postBodies().get(0);
        assertEquals(SUM_APP, body.get("appId").asText());
        assertEquals(0, new BigDecimal("3.25").compareTo(body.get("usageQuantity").decimalValue()));
        assertEquals(s.bucketStart.toString(), body.get("dateOccurred").asText());
        wiremock.verify(postRequestedFor(urlPathEqualTo(USAGE_PATH + orgId))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Bearer tok-.*")));
        assertEquals("submitted", eventStatus((String) a.get("eventId")));
        io.vendorusage.agent.testsupport.TestEvents.ingest().get("/v1/usage-events/{id}", a.get("eventId")).then()
                .body("submissionId", is(s.id));
    }

    @Test
    void gatewayTimeoutAfterProcessingHoldsSumRecordAndNeverResendsIt() {
        stubUsage(504, "{\"message\":\"gateway timeout\",\"contextId\":\"ctx-504\"}");
        ingest(List.of(event(SUM_APP, 5)));
        flush();
        flush();
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.UNCERTAIN, s.state);
        assertEquals(504, s.lastHttpStatus);
        assertEquals("ctx-504", s.lastCorrelationId);
        assertEquals(1, posts().size(), "an uncertain sum record must never be resent blindly");
    }

    @Test
    void serverErrorHoldsSumRecord() {
        for (int status : new int[] { 500, 502 }) {
            orgId = java.util.UUID.randomUUID().toString();
            stubUsage(status, "{\"message\":\"oops\"}");
            ingest(List.of(event(SUM_APP, 1)));
            flush();
            flush();
            assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state, "HTTP " + status);
            assertEquals(1, posts().size(), "HTTP " + status);
        }
    }

    @Test
    void timeoutAfterTheRequestWasWrittenHoldsSumRecord() {
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"late\"}").withFixedDelay(1500)));
        ingest(List.of(event(SUM_APP, 4)));
        flush();
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.UNCERTAIN, s.state);
        assertEquals("no-answer", s.lastOutcome);
        assertEquals(1, posts().size());
    }

    @Test
    void unknownOutcomeIsResentForHighWaterMarkApps() {
        wiremock.stubFor(usagePost().inScenario("hwm").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(504)).willSetStateTo("ok"));
        wiremock.stubFor(usagePost().inScenario("hwm").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"u-2\"}")));
        ingest(List.of(event(PEAK_APP, 7)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            flush();
            return onlyRecord().state == SubmissionState.CONFIRMED;
        });
        assertEquals(2, posts().size(), "a repeated peak is harmless, so it is resent");
    }

    @Test
    void permanentRejectionFailsRecordAndEventsWithTheUpstreamError() {
        stubUsage(400, "{\"message\":\"appId is not a metered app\",\"code\":\"bad.request\",\"contextId\":\"ctx-400\"}");
        Map<String, Object> e = event(SUM_APP, 1);
        ingest(List.of(e));
        flush();
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.FAILED, s.state);
        assertEquals(400, s.lastHttpStatus);
        assertEquals("bad.request", s.lastErrorCode);
        assertTrue(s.lastErrorMessage.contains("appId is not a metered app"), s.lastErrorMessage);
        assertEquals("ctx-400", s.lastCorrelationId);
        assertEquals(1, posts().size());
        assertEquals("failed", eventStatus((String) e.get("eventId")));
    }

    @Test
    void unauthorizedRefreshesTheTokenOnceAndResends() {
        // the agent holds a token whichever test ran before (one cached by an earlier test, or one taken now), so
        // the token call counted below is the refresh the 401 causes
        tokens.accessToken();
        wiremock.resetRequests();
        wiremock.stubFor(usagePost().inScenario("auth").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("fresh"));
        wiremock.stubFor(usagePost().inScenario("auth").whenScenarioStateIs("fresh")
                .willReturn(okJson("{\"id\":\"u-3\"}")));
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        assertEquals(SubmissionState.CONFIRMED, onlyRecord().state);
        assertEquals(2, posts().size());
        wiremock.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token"))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials")));
        String basic = wiremock.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).get(0)
                .getHeader("Authorization");
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(
                "test-client:test-client-secret-do-not-log".getBytes()), basic);
    }

    @Test
    void tokenEndpointDownSendsNothingAndKeepsTheRecordPlanned() {
        wiremock.stubFor(usagePost().inScenario("token").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("after"));
        wiremock.stubFor(usagePost().inScenario("token").whenScenarioStateIs("after")
                .willReturn(okJson("{\"id\":\"u-4\"}")));
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.PLANNED, s.state);
        assertEquals(0, s.attempts, "a token failure is not an attempt at the usage endpoint");
        assertEquals(1, posts().size(), "no usage POST may be made without a token");

        wiremock.resetMappings();
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"tok-new\",\"expires_in\":3600}")));
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"u-4\"}")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            flush();
            return onlyRecord().state == SubmissionState.CONFIRMED;
        });
        assertEquals(2, posts().size());
    }

    @Test
    void tooManyRequestsIsHonouredToTheSecond() {
        wiremock.stubFor(usagePost().inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        wiremock.stubFor(usagePost().inScenario("429").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"u-5\"}")));
        ingest(List.of(event(SUM_APP, 1)));
        flush().body("stoppedBecause", containsString("held until")).body("stopReason",
                org.hamcrest.Matchers.is("rate-limited"));
        assertEquals(1, posts().size());
        flush();
        assertEquals(1, posts().size(), "no call while the Retry-After is in force");
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            flush();
            return onlyRecord().state == SubmissionState.CONFIRMED;
        });
        var logged = posts();
        assertEquals(2, logged.size());
        long gap = logged.get(0).getLoggedDate().getTime() - logged.get(1).getLoggedDate().getTime();
        assertTrue(Math.abs(gap) >= 2000, "second POST came " + Math.abs(gap) + " ms after the 429");
        assertEquals(1, onlyRecord().attempts, "a 429 does not use up attempts");
    }

    @Test
    void serviceUnavailableWithRetryAfterIsResent() {
        wiremock.stubFor(usagePost().inScenario("503").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        wiremock.stubFor(usagePost().inScenario("503").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"u-6\"}")));
        ingest(List.of(event(SUM_APP, 1)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            flush();
            return onlyRecord().state == SubmissionState.CONFIRMED;
        });
        assertEquals(2, posts().size());
    }

    @Test
    void serviceUnavailableWithoutRetryAfterIsTreatedAsUnknown() {
        stubUsage(503, "{}");
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        flush();
        assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state);
        assertEquals(1, posts().size());
    }

    @Test
    void retryableFailuresGiveUpAfterMaxAttemptsKeepingTheReason() {
        stubUsage(401, "{\"message\":\"token rejected\"}");
        ingest(List.of(event(SUM_APP, 1)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            flush();
            return onlyRecord().state == SubmissionState.FAILED;
        });
        Submission s = onlyRecord();
        assertEquals("gave-up", s.lastOutcome);
        assertNotNull(s.lastErrorMessage);
        assertEquals(4, s.attempts);
    }
}
