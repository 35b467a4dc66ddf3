package io.vendorusage.agent.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.BenchProfile;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * Records per second the submitter sends to a fast fake upstream (WireMock on loopback). Not part of the
 * suite: run with {@code ./mvnw test -Pbench -Dbench.rate=300 -Dbench.records=60} (and a raised
 * {@code -Dbench.rate=100000 -Dbench.records=3000 -Dbench.concurrency=8}). It prints its figures.
 */
@QuarkusTest
@TestProfile(SubmissionThroughputBench.Profile.class)
class SubmissionThroughputBench {

    static final int RATE = Integer.getInteger("bench.rate", 300);
    static final int RECORDS = Integer.getInteger("bench.records", 60);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);

    public static class Profile extends BenchProfile {
        @Override
        protected Map<String, String> extraConfig() {
            return Map.of("agent.genesys.rate-limit-per-minute", String.valueOf(RATE),
                    "agent.submission.concurrency", String.valueOf(CONCURRENCY),
                    "agent.submission.batch-size", "10000",
                    "agent.submission.interval", "PT10M");
        }
    }

    @InjectWireMock
    WireMockServer wiremock;

    @Test
    void sendRecords() {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(post(urlPathMatching("/api/v2/billing/vendorusage/organizations/.*"))
                .willReturn(okJson("{\"id\":\"u\"}")));
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Map<String, Object> e = TestEvents.event("bench-" + run + "-" + i);
            e.put("organizationId", UUID.randomUUID().toString());
            batch.add(e);
            if (batch.size() == 1000 || i == RECORDS - 1) {
                TestEvents.ingest().body(batch).post("/v1/usage-events").then().statusCode(202);
                batch = new ArrayList<>();
            }
        }
        // plan first, so the figure is sending alone
        long t0 = System.nanoTime();
        TestEvents.operator().post("/v1/submissions/flush").then()
                .statusCode(200);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int sent = wiremock.findAll(postRequestedFor(urlPathMatching("/api/v2/billing/vendorusage/organizations/.*")))
                .size();
        System.out.printf("bench: rate-limit %d/min, concurrency %d: %d records planned and sent in %.2f s"
                + " = %.1f records/s (limit allows %.1f/s)%n", RATE, CONCURRENCY, sent, seconds, sent / seconds,
                RATE / 60.0);
        assertEquals(RECORDS, sent);
    }
}
