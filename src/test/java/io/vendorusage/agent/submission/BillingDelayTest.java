package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.PEAK_APP;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.testsupport.Scrape;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** The time to bill: one observation per event, from its arrival to its record's confirmation, by app mode. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class BillingDelayTest extends UpstreamTest {

    private static final String COUNT = "vendorusage_billing_delay_seconds_count";
    private static final String SUM = "vendorusage_billing_delay_seconds_sum";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyEventIsObservedOnceWhenItsRecordIsConfirmed() {
        stubUsageOk();
        double sumBefore = Scrape.of(metrics).valueOrZero(COUNT + "{mode=\"sum\"");
        double secondsBefore = Scrape.of(metrics).valueOrZero(SUM + "{mode=\"sum\"");
        double peakBefore = Scrape.of(metrics).valueOrZero(COUNT + "{mode=\"high-water-mark\"");
        // two commits: three events, then one more in the same window, all billed by one record
        long t0 = System.nanoTime();
        ingest(List.of(event(SUM_APP, 1), event(SUM_APP, 2), event(SUM_APP, 3)));
        clock.advance(Duration.ofSeconds(2));
        ingest(List.of(event(SUM_APP, 4), event(PEAK_APP, 5)));
        clock.advance(Duration.ofSeconds(1));
        flush();
        double elapsed = (System.nanoTime() - t0) / 1e9;

        assertEquals(sumBefore + 4, Scrape.of(metrics).valueOrZero(COUNT + "{mode=\"sum\""));
        assertEquals(peakBefore + 1, Scrape.of(metrics).valueOrZero(COUNT + "{mode=\"high-water-mark\""));
        // three events waited 3 s and one 1 s on the test clock, each plus at most the time the test took
        double waited = Scrape.of(metrics).valueOrZero(SUM + "{mode=\"sum\"") - secondsBefore;
        assertTrue(waited >= 10 && waited <= 10 + 4 * elapsed, "seconds observed: " + waited + " in " + elapsed);
        JsonPath status = TestEvents.operator().get("/v1/status").then().statusCode(200).extract().jsonPath();
        assertTrue(status.getLong("billingDelay.sum.events") >= 4, status.prettify());
        assertTrue(status.getDouble("billingDelay.sum.p99Seconds") > 0, status.prettify());
        assertEquals(3 * 3600.0, Scrape.of(metrics).value("vendorusage_billing_delay_objective_seconds"));
    }

    @Test
    void everyUpstreamCallOfTheLastHourIsCountedAgainstTheBudget() {
        stubUsageOk();
        double before = Scrape.of(metrics).value("vendorusage_upstream_calls_last_hour");
        ingest(List.of(event(SUM_APP, 1), event(PEAK_APP, 2)));
        flush();
        // the org detail (its billing period), one POST per app, and a token if none was cached yet
        int tokens = wiremock.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/oauth/token"))).size();
        assertEquals(before + 3 + tokens, Scrape.of(metrics).value("vendorusage_upstream_calls_last_hour"));
        assertEquals(600 * 60.0, Scrape.of(metrics).value("vendorusage_upstream_budget_per_hour"));
    }
}
