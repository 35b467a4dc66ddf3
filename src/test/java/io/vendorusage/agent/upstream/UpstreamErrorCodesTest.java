package io.vendorusage.agent.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.submission.Submission;
import io.vendorusage.agent.submission.SubmissionState;
import io.vendorusage.agent.testsupport.Scrape;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Genesys's error codes read as Genesys means them, each against WireMock with the calls counted. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class UpstreamErrorCodesTest extends UpstreamTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private Submission recordOf(String app) {
        return records().stream().filter(r -> r.appId.equals(app)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1}: a sum record is held as uncertain, a high-water-mark record is sent again")
    @CsvSource({ "408, client.timeout, client-timeout", "504, request.timeout, server-error" })
    void timeoutAnswersLeaveTheOutcomeUnknown(int status, String code, String outcome) {
        stubUsage(status, "{\"message\":\"timed out\",\"code\":\"" + code + "\"}");
        ingest(List.of(event(SUM_APP, 2), event(PEAK_APP, 3)));
        flush();

        Submission sum = recordOf(SUM_APP);
        assertEquals(SubmissionState.UNCERTAIN, sum.state, "may have been billed: never sent blindly again");
        assertEquals(outcome, sum.lastOutcome);
        assertEquals(code, sum.lastErrorCode);
        Submission peak = recordOf(PEAK_APP);
        assertEquals(SubmissionState.PLANNED, peak.state, "a repeated peak is harmless: it goes again");
        assertEquals(outcome, peak.lastOutcome);

        stubUsageOk();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            flush();
            return recordOf(PEAK_APP).state == SubmissionState.CONFIRMED;
        });
        assertEquals(SubmissionState.UNCERTAIN, recordOf(SUM_APP).state);
        assertEquals(1, postBodies().stream().filter(b -> b.get("appId").asText().equals(SUM_APP)).count());
    }

    @Test
    void bodyTooLargeFailsTheRecordSayingSo() {
        stubUsage(413, "{\"message\":\"Request entity too large\",\"code\":\"request.entity.too.large\"}");
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        Submission s = onlyRecord();
        assertEquals(SubmissionState.FAILED, s.state);
        assertEquals(413, s.lastHttpStatus);
        assertEquals("request.entity.too.large", s.lastErrorCode);
        assertTrue(s.lastErrorMessage.contains("body was too large"), s.lastErrorMessage);
        assertEquals(1, posts().size());
    }

    @ParameterizedTest(name = "{0}: a configuration fault, asked again once per credentials-retry")
    @ValueSource(strings = { "bad.credentials", "credentials.expired", "ip.not.authorized" })
    void rejectedCredentialsStopTheCallsButNotIngest(String code) {
        // the cached token is refused once, so the agent asks the login service for a new one
        wiremock.stubFor(usagePost().inScenario("auth").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("refused"));
        wiremock.stubFor(usagePost().inScenario("auth").whenScenarioStateIs("refused")
                .willReturn(okJson("{\"id\":\"u-1\"}")));
        var rejecting = wiremock.stubFor(post(urlPathEqualTo("/oauth/token")).atPriority(1).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"credentials rejected\",\"code\":\"" + code + "\"}")));
        ingest(List.of(event(SUM_APP, 1)));
        flush();

        assertEquals(1, wiremock.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size(),
                "a rejected client is not retried like a passing fault");
        Submission s = onlyRecord();
        assertEquals(SubmissionState.PLANNED, s.state);
        assertEquals(0, s.attempts, "nothing reached the usage endpoint");
        JsonPath status = TestEvents.operator().get("/v1/status").then().statusCode(200).extract().jsonPath();
        assertEquals("credentials-rejected", status.getString("upstream.state"));
        assertEquals(code, status.getString("upstream.credentialsRejected"));
        assertEquals(1.0, Scrape.of(metrics).value("vendorusage_upstream_credentials_rejected"));
        // ingest keeps accepting, and the next passes make no call until the retry time
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        assertEquals(1, wiremock.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size());

        // fixed: the next try after agent.genesys.credentials-retry (PT2S in the test profile) sends the backlog
        wiremock.removeStub(rejecting);
        clock.advance(Duration.ofSeconds(3));
        flush();
        assertEquals(2, wiremock.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size());
        assertTrue(records().stream().allMatch(r -> r.state == SubmissionState.CONFIRMED), records().toString());
        assertEquals("ok", TestEvents.operator().get("/v1/status").then().extract().path("upstream.state"));
        assertEquals(0.0, Scrape.of(metrics).value("vendorusage_upstream_credentials_rejected"));
    }
}
