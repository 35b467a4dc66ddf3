package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Benchmarks: WireMock as the upstream and a store of their own, so earlier data never skews a figure. */
public class BenchProfile implements QuarkusTestProfile {

    /** Settings a benchmark adds on top. */
    protected Map<String, String> extraConfig() {
        return Map.of();
    }

    @Override
    public final Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(extraConfig());
        config.put("agent.data-dir", "./target/bench-data/" + UUID.randomUUID());
        return config;
    }

    @Override
    public final List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(GenesysWireMock.class));
    }

    /** Resets WireMock and answers token requests and org details. */
    public static void freshUpstream(WireMockServer wiremock) {
        wiremock.resetAll();
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"t\",\"expires_in\":86400}")));
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                        "/api/v2/billing/vendorusage/organizations/[^/]+")).willReturn(okJson(orgDetail())));
    }

    /** An org detail whose billing period turned at midnight ten days ago: the same for every org. */
    public static String orgDetail() {
        java.time.LocalDate start = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(10);
        return "{\"id\":\"o\",\"region\":\"us-east-1\",\"dateBillingPeriodStart\":\"" + start
                + "\",\"dateBillingPeriodEnd\":\"" + start.plusMonths(1).minusDays(1) + "\",\"usages\":[]}";
    }
}
