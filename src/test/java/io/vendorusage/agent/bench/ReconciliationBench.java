package io.vendorusage.agent.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.BenchProfile;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * A reconciliation run over {@code bench.orgs} (default 10,000) customer orgs listed in us-east-1, 200 a
 * page, every other region empty, at the default rate limit. Run with {@code ./mvnw test -Pbench
 * -Dtest=ReconciliationBench}; it prints the run time and the upstream calls.
 */
@QuarkusTest
@TestProfile(ReconciliationBench.Profile.class)
class ReconciliationBench {

    static final int ORGS = Integer.getInteger("bench.orgs", 10_000);
    private static final String LIST = "/api/v2/billing/vendorusage/organizations";

    public static class Profile extends BenchProfile {
    }

    @InjectWireMock
    WireMockServer wiremock;

    @Test
    void reconcileTenThousandOrgs() {
        BenchProfile.freshUpstream(wiremock);
        wiremock.stubFor(get(urlPathEqualTo(LIST)).atPriority(9).willReturn(okJson("{\"entities\":[]}")));
        int pages = (ORGS + 199) / 200;
        for (int p = 0; p < pages; p++) {
            StringBuilder body = new StringBuilder("{\"entities\":[");
            for (int i = p * 200; i < Math.min(ORGS, (p + 1) * 200); i++) {
                if (i > p * 200) {
                    body.append(',');
                }
                body.append("{\"id\":\"").append(new UUID(0xbeefL, i)).append("\",\"name\":\"Org ").append(i)
                        .append("\",\"region\":\"us-east-1\",\"usageQuantities\":{\"premium-minutes\":").append(i % 97)
                        .append("}}");
            }
            body.append(']');
            if (p + 1 < pages) {
                body.append(",\"nextUri\":\"").append(LIST).append("?pageSize=200&after=c").append(p + 1).append('"');
            }
            body.append('}');
            wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("us-east-1"))
                    .withQueryParam("after", p == 0 ? absent() : equalTo("c" + p)).willReturn(okJson(body.toString())));
        }
        long t0 = System.nanoTime();
        var run = TestEvents.operator().post("/v1/reconciliation/run")
                .then().statusCode(200).extract();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int calls = wiremock.findAll(getRequestedFor(urlPathEqualTo(LIST))).size();
        System.out.printf("bench: reconciliation over %d orgs (%d pages in us-east-1, 16 empty regions) at 300/min:"
                + " %.1f s, %d upstream calls, %d rows, outcome %s%n", ORGS, pages, seconds, calls,
                (Integer) run.path("rowCount"), run.path("outcome"));
        assertEquals(pages + 16, calls);
    }
}
