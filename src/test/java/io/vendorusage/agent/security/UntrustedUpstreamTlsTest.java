package io.vendorusage.agent.security;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.GenesysTlsWireMock;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;

/** Without the private CA the certificate is refused: nothing reaches the upstream, nothing is lost. */
@Tag("store-independent")
@QuarkusTest
@TestProfile(UntrustedUpstreamTlsTest.DefaultCasOnly.class)
class UntrustedUpstreamTlsTest {

    public static class DefaultCasOnly implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GenesysTlsWireMock.class, Map.of("trust", "false")));
        }
    }

    @InjectWireMock
    WireMockServer wiremock;

    @Test
    void refusesAnUpstreamCertificateItCannotVerify() {
        String org = UpstreamTlsTest.sendOneRecord(wiremock);
        assertEquals(0, wiremock.findAll(anyRequestedFor(anyUrl())).size(), "no request passed the handshake");
        TestEvents.operator().get("/v1/submissions?state=planned")
                .then().statusCode(200)
                .body("find { it.organizationId == '" + org + "' }.state", equalTo("planned"))
                .body("find { it.organizationId == '" + org + "' }.attempts", equalTo(0));
    }
}
