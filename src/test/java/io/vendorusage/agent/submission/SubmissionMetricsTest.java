package io.vendorusage.agent.submission;

import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.Scrape;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** The submission metrics under their contract names, moving with what happens upstream. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class SubmissionMetricsTest extends UpstreamTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static final String CONFIRMED = "vendorusage_submissions_total{app=\"premium-minutes\",outcome=\"confirmed\"";
    private static final String UNCERTAIN = "vendorusage_submissions_total{app=\"premium-minutes\",outcome=\"uncertain\"";
    private static final String POST_200 = "vendorusage_upstream_requests_total{endpoint=\"usage-post\",status=\"200\"";
    private static final String POST_504 = "vendorusage_upstream_requests_total{endpoint=\"usage-post\",status=\"504\"";

    @Test
    void outcomesRequestsAndLatencyAreCounted() {
        Scrape before = Scrape.of(metrics);
        stubUsageOk();
        ingest(List.of(event(SUM_APP, 1)));
        flush();
        stubUsage(504, "{}");
        orgId = java.util.UUID.randomUUID().toString();
        stubUsage(504, "{}");
        ingest(List.of(event(SUM_APP, 1)));
        flush();

        Scrape after = Scrape.of(metrics);
        assertEquals(before.valueOrZero(CONFIRMED) + 1, after.value(CONFIRMED));
        assertEquals(before.valueOrZero(UNCERTAIN) + 1, after.value(UNCERTAIN));
        assertEquals(before.valueOrZero(POST_200) + 1, after.value(POST_200));
        assertEquals(before.valueOrZero(POST_504) + 1, after.value(POST_504));
        assertTrue(after.has("vendorusage_submission_duration_seconds_bucket"), "histogram buckets for p50/p99");
        assertTrue(after.value("vendorusage_submission_duration_seconds_count")
                >= before.valueOrZero("vendorusage_submission_duration_seconds_count") + 2);
        assertTrue(after.has("vendorusage_token_refresh_total{outcome=\"success\""));
        assertEquals(0, after.value("vendorusage_circuit_open"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Scrape s = Scrape.of(metrics);
            assertTrue(s.value("vendorusage_ledger_records{state=\"uncertain\"") >= 1);
            assertTrue(s.value("vendorusage_submission_last_confirmed_timestamp_seconds") > 0);
        });
    }
}
