package io.vendorusage.agent.testsupport;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A WireMock server faking Genesys: injected into {@link InjectWireMock} fields, stopped with the tests. */
abstract class WireMockResource implements QuarkusTestResourceLifecycleManager {

    protected WireMockServer server;

    /** @return the agent settings that point it at {@code baseUrl} with the test client credentials */
    protected static Map<String, String> upstreamAt(String baseUrl) {
        return new HashMap<>(Map.of("agent.genesys.api-url", baseUrl,
                "agent.genesys.login-url", baseUrl,
                "agent.genesys.client-id", GenesysWireMock.CLIENT_ID,
                "agent.genesys.client-secret", GenesysWireMock.CLIENT_SECRET));
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
