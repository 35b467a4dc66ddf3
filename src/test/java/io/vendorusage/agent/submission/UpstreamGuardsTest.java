package io.vendorusage.agent.submission;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** Circuit breaker, token lifetime, broken connections and closed billing periods. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class UpstreamGuardsTest extends UpstreamTest {

    private List<Map<String, Object>> eventsInWindows(int windows) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int h = 1; h <= windows; h++) {
            Map<String, Object> e = event(SUM_APP, 1);
            e.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.HOURS).minus(h, ChronoUnit.HOURS).toString());
            events.add(e);
        }
        return events;
    }

    @Test
    void circuitOpensAfterRepeatedServerErrorsAndStopsCalls() {
        stubUsage(500, "{}");
        ingest(eventsInWindows(14));
        flush().body("stoppedBecause", containsString("circuit breaker open")).body("stopReason",
                org.hamcrest.Matchers.is("circuit-open"));
        int calls = posts().size();
        assertEquals(10, calls, "the breaker opens after 10 calls with at least half failing");
        TestEvents.operator().get("/v1/status").then()
                .body("upstream.state", equalTo("circuit-open"));
        flush();
        assertEquals(calls, posts().size(), "no call while the circuit is open");
        assertEquals(4, records().stream().filter(r -> r.state == SubmissionState.PLANNED).count());
    }

    @Test
    void tokenIsRefreshedBeforeItExpires() {
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token")).atPriority(1)
                .willReturn(okJson("{\"access_token\":\"short\",\"expires_in\":2}")));
        // a 401 makes the agent drop whatever token it cached before and fetch the short-lived one
        wiremock.stubFor(usagePost().inScenario("expiry").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("ok"));
        wiremock.stubFor(usagePost().inScenario("expiry").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"u\"}")));
        ingest(List.of(eventsInWindows(1).get(0)));
        flush();
        assertEquals(1, tokenRequests());
        clock.advance(Duration.ofMillis(1300)); // past half of the 2 s lifetime: the agent must not use it any more
        Map<String, Object> second = event(SUM_APP, 1);
        second.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS).toString());
        ingest(List.of(second));
        flush();
        assertEquals(2, tokenRequests(), "refreshed before expiry, without waiting for a 401");
        assertEquals(3, posts().size());
    }

    private int tokenRequests() {
        return wiremock.findAll(postRequestedFor(urlPathEqualTo("/oauth/token"))).size();
    }

    @Test
    void connectionResetAfterSendingIsUnknownForSum() {
        wiremock.stubFor(usagePost().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        ingest(List.of(event(SUM_APP, 2)));
        flush();
        flush();
        assertEquals(SubmissionState.UNCERTAIN, onlyRecord().state);
        assertEquals(1, posts().size());
    }

    @Test
    void recordWhoseBillingPeriodClosedIsFailedWithThatReasonAndNotSent() {
        stubUsageOk();
        Instant twoMonthsAgo = Instant.now().minus(62, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        // an agent that was down across a month end finds a record of the closed month
        String id = plannedRecord(twoMonthsAgo);
        // it plans the org's new usage first, learning the org's billing period (the calendar month here)
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        Submission s = records().stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
        assertEquals(SubmissionState.FAILED, s.state);
        assertEquals("billing-period-closed", s.lastOutcome);
        assertEquals(1, posts().size(), "only the new usage");
    }

}
