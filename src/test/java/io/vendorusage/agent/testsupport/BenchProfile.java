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

    /** Resets WireMock and answers token requests. */
    public static void freshUpstream(WireMockServer wiremock) {
        wiremock.resetAll();
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"t\",\"expires_in\":86400}")));
    }
}
