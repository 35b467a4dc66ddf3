package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Fakes Genesys Cloud (login and API host) with WireMock on a dynamic loopback port and points the
 * agent at it. No test ever reaches the real upstream.
 */
public class GenesysWireMock implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "test-client";
    public static final String CLIENT_SECRET = "test-client-secret-do-not-log";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        server.start();
        return Map.of("agent.genesys.api-url", server.baseUrl(),
                "agent.genesys.login-url", server.baseUrl(),
                "agent.genesys.client-id", CLIENT_ID,
                "agent.genesys.client-secret", CLIENT_SECRET);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
