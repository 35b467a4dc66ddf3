package io.vendorusage.agent.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The process tests' fake Genesys refuses what Genesys refuses, so an agent that sent a wrong request would fail
 * against it: no bearer token, a usage body missing a field or with a mistyped one, an unknown region, a page
 * larger than 200; and it pages its list by cursor as Genesys does.
 */
@Tag("store-independent")
class FakeGenesysTest {

    private static final String ORGS = "/api/v2/billing/vendorusage/organizations";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> send(FakeGenesys fake, String method, String path, String body, String auth)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(FakeGenesys fake) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic Yzpz")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        return "Bearer " + json.readTree(answer.body()).get("access_token").asText();
    }

    @Test
    void wrongRequestsAreRefusedAsGenesysRefusesThem() throws Exception {
        try (FakeGenesys fake = new FakeGenesys(Set.of())) {
            String org = ORGS + "/" + UUID.randomUUID();
            String good = "{\"appId\":\"a\",\"usageQuantity\":1.5,\"dateOccurred\":\"2026-12-01T10:00:00Z\"}";
            assertEquals(400, http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/oauth/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "only the client-credentials grant");
            assertEquals(401, send(fake, "POST", org, good, null).statusCode(), "no bearer");
            assertEquals(401, send(fake, "POST", org, good, "Bearer someone-else").statusCode(), "a wrong bearer");
            String bearer = token(fake);
            for (String bad : new String[] { "{\"usageQuantity\":1,\"dateOccurred\":\"2026-12-01T10:00:00Z\"}",
                    "{\"appId\":\"a\",\"usageQuantity\":\"1\",\"dateOccurred\":\"2026-12-01T10:00:00Z\"}",
                    "{\"appId\":\"a\",\"usageQuantity\":1,\"dateOccurred\":\"2026-12-01\"}",
                    "{\"appId\":\"a\",\"usageQuantity\":1,\"dateOccurred\":\"2026-12-01T10:00:00+01:00\"}",
                    "not json" }) {
                assertEquals(400, send(fake, "POST", org, bad, bearer).statusCode(), bad);
            }
            assertTrue(fake.billed().isEmpty(), "nothing billed from a refused request");
            assertEquals(200, send(fake, "POST", org, good, bearer).statusCode());
            assertEquals(1, fake.billed().size());
            assertEquals(400, send(fake, "GET", ORGS + "?region=us-east", null, bearer).statusCode(), "not a region");
            assertEquals(400, send(fake, "GET", ORGS + "?pageSize=201", null, bearer).statusCode());
        }
    }

    @Test
    void theListIsPagedByCursorAndFilteredByExactRegion() throws Exception {
        try (FakeGenesys fake = new FakeGenesys(Set.of())) {
            for (int i = 0; i < 450; i++) {
                fake.alreadyBilled(new FakeGenesys.Billed(UUID.randomUUID().toString(), "a", BigDecimal.ONE,
                        Instant.now()));
            }
            String bearer = token(fake);
            Set<String> seen = new HashSet<>();
            String next = ORGS + "?pageSize=200&region=us-east-1";
            int pages = 0;
            while (next != null) {
                JsonNode page = json.readTree(send(fake, "GET", next, null, bearer).body());
                page.get("entities").forEach(e -> assertTrue(seen.add(e.get("id").asText()), "listed twice"));
                next = page.hasNonNull("nextUri") ? page.get("nextUri").asText() : null;
                pages++;
            }
            assertEquals(3, pages, "200 + 200 + 50");
            assertEquals(450, seen.size());
            JsonNode other = json.readTree(send(fake, "GET", ORGS + "?pageSize=200&region=eu-west-1", null, bearer)
                    .body());
            assertEquals(0, other.get("entities").size(), "another region lists none of them");
            assertFalse(other.hasNonNull("nextUri"));
        }
    }
}
