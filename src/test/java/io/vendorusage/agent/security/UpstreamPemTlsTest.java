package io.vendorusage.agent.security;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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

/** The private CA as a PEM certificate ({@code quarkus.tls.genesys.trust-store.pem.certs}), the form most CAs ship. */
@Tag("store-independent")
@QuarkusTest
@TestProfile(UpstreamPemTlsTest.TrustedPem.class)
class UpstreamPemTlsTest {

    public static class TrustedPem implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GenesysTlsWireMock.class, Map.of("trust", "true", "format", "pem")));
        }
    }

    @InjectWireMock
    WireMockServer wiremock;

    @Test
    void sendsOverTlsWhenTheCaIsAPemCertificate() {
        String org = UpstreamTlsTest.sendOneRecord(wiremock);
        assertEquals(1, wiremock.findAll(postRequestedFor(urlPathEqualTo(
                "/api/v2/billing/vendorusage/organizations/" + org))).size());
    }
}
