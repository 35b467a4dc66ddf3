package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Fakes Genesys Cloud (login and API host) with WireMock on a dynamic loopback port and points the
 * agent at it. No test ever reaches the real upstream.
 */
public class GenesysWireMock extends WireMockResource {

    public static final String CLIENT_ID = "test-client";
    public static final String CLIENT_SECRET = "test-client-secret-do-not-log";

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        server.start();
        return upstreamAt(server.baseUrl());
    }
}
