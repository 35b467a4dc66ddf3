package io.vendorusage.agent.security;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vendorusage.agent.testsupport.GenesysTlsWireMock;
import io.vendorusage.agent.testsupport.InjectWireMock;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * The upstream over TLS with a private CA: trusted only through the TLS registry's configuration {@code genesys}
 * (a PKCS12 trust store here, a PEM certificate in {@link UpstreamPemTlsTest}).
 */
@Tag("store-independent")
@QuarkusTest
@TestProfile(UpstreamTlsTest.TrustedCa.class)
class UpstreamTlsTest {

    public static class TrustedCa implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GenesysTlsWireMock.class, Map.of("trust", "true")));
        }
    }

    @InjectWireMock
    WireMockServer wiremock;

    static String sendOneRecord(WireMockServer wiremock) {
        wiremock.resetAll();
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"tls\",\"expires_in\":3600}")));
        wiremock.stubFor(post(urlPathMatching("/api/v2/billing/vendorusage/organizations/.*"))
                .willReturn(okJson("{\"id\":\"u\",\"confirmation\":\"tls-ok\"}")));
        String org = UUID.randomUUID().toString();
        Map<String, Object> event = TestEvents.event(TestEvents.newId());
        event.put("organizationId", org);
        TestEvents.ingest().body(event).post("/v1/usage-events").then().statusCode(202);
        TestEvents.operator().post("/v1/submissions/flush").then()
                .statusCode(200);
        return org;
    }

    @Test
    void sendsOverTlsWhenTheCaIsInTheConfiguredTrustStore() {
        String org = sendOneRecord(wiremock);
        assertEquals(1, wiremock.findAll(postRequestedFor(urlPathEqualTo(
                "/api/v2/billing/vendorusage/organizations/" + org))).size());
        TestEvents.operator().get("/v1/submissions?state=confirmed")
                .then().statusCode(200).body("find { it.organizationId == '" + org + "' }.confirmation",
                        equalTo("tls-ok"));
    }
}
