package io.vendorusage.agent.submission;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.vendorusage.agent.testsupport.TestEvents.SUM_APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** The shared rate limit spaces calls evenly, and sends never exceed agent.submission.concurrency. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class ThrottlingTest extends UpstreamTest {

    /** UpstreamProfile: 600 calls per minute, so at least 100 ms between two calls. */
    private static final long SPACING_MS = 100;
    private static final int CONCURRENCY = 2;

    private List<ServeEvent> sendEightRecords() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int h = 1; h <= 8; h++) {
            Map<String, Object> e = event(SUM_APP, 1);
            e.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.HOURS).minus(h, ChronoUnit.HOURS).toString());
            events.add(e);
        }
        ingest(events);
        flush();
        assertEquals(8, posts().size());
        List<ServeEvent> served = new ArrayList<>(wiremock.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().contains(orgId)).toList());
        served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        return served;
    }

    @Test
    void callsAreSpacedByTheRateLimit() {
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"u\"}")));
        List<ServeEvent> served = sendEightRecords();
        // instant answers: without pacing the 8 calls would arrive within a few milliseconds. Arrival
        // times carry connection set-up jitter, so the pace is checked over the run, not gap by gap.
        long span = served.get(served.size() - 1).getRequest().getLoggedDate().getTime()
                - served.get(0).getRequest().getLoggedDate().getTime();
        assertTrue(span >= (served.size() - 1) * SPACING_MS - 30, "8 calls within " + span + " ms");
    }

    @Test
    void sendsNeverExceedTheConcurrencyBound() {
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"u\"}").withFixedDelay(350)));
        List<ServeEvent> served = sendEightRecords();
        int maxInFlight = 0;
        for (ServeEvent e : served) {
            long t = e.getRequest().getLoggedDate().getTime();
            int inFlight = 0;
            for (ServeEvent o : served) {
                long start = o.getRequest().getLoggedDate().getTime();
                long end = start + o.getTiming().getTotalTime();
                if (start <= t && t < end) {
                    inFlight++;
                }
            }
            maxInFlight = Math.max(maxInFlight, inFlight);
        }
        assertTrue(maxInFlight <= CONCURRENCY, maxInFlight + " requests in flight at once");
        assertEquals(CONCURRENCY, maxInFlight, "with 350 ms answers and 100 ms spacing, sends overlap");
    }

    @Test
    void spentRateLimitWindowHoldsCalls() {
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"u\"}")
                .withHeader("inin-ratelimit-count", "300").withHeader("inin-ratelimit-allowed", "300")
                .withHeader("inin-ratelimit-reset", "1")));
        List<Map<String, Object>> events = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            Map<String, Object> e = event(SUM_APP, 1);
            e.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.HOURS).minus(h, ChronoUnit.HOURS).toString());
            events.add(e);
        }
        ingest(events);
        flush();
        assertEquals(1, posts().size(), "the window is spent: no further call until it resets");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(300)).until(() -> {
                    flush();
                    return posts().size() == 3;
                });
    }
}
