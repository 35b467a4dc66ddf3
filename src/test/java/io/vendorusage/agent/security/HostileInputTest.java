package io.vendorusage.agent.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.submission.SubmissionRepository;
import io.vendorusage.agent.testsupport.TestEvents;

/**
 * Throws 10,000 generated hostile requests at the ingest and operator APIs: malformed JSON, deep nesting,
 * huge numbers, NaN and Infinity, unicode tricks, wrong types, header abuse and oversized bodies. Every
 * answer must be a 4xx (never a 5xx), the agent must stay up, and the store must be unchanged.
 */
@QuarkusTest
class HostileInputTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    private static final String ORG = "\"organizationId\":\"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e\"";

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    OutboxEventRepository events;

    @Inject
    SubmissionRepository submissions;

    private final Random random = new Random(20261123L);

    private String id() {
        return "fz-" + Long.toHexString(random.nextLong());
    }

    /** Each generator makes a request that must be refused. */
    private List<Supplier<HttpRequest.Builder>> generators() {
        List<Supplier<HttpRequest.Builder>> g = new ArrayList<>();
        g.add(() -> ingest(randomBytes(random.nextInt(200))));
        g.add(() -> ingest(truncate("[{\"eventId\":\"" + id() + "\"," + ORG + ",\"appId\":\"premium-minutes\",\"quantity\":1}]")));
        g.add(() -> ingest("[".repeat(1 + random.nextInt(3000)) + "]".repeat(random.nextInt(3000))));
        g.add(() -> ingest("{\"a\":".repeat(1 + random.nextInt(2000)) + "1" + "}".repeat(random.nextInt(2000))));
        g.add(() -> ingest(event("1" + "0".repeat(19 + random.nextInt(2000)))));
        g.add(() -> ingest(event("1e" + (19 + random.nextInt(1_000_000_000)))));
        g.add(() -> ingest(event("-" + (1 + random.nextInt(1000)))));
        g.add(() -> ingest(event(random.nextBoolean() ? "NaN" : (random.nextBoolean() ? "Infinity" : "-Infinity"))));
        g.add(() -> ingest(event("0." + "1".repeat(7 + random.nextInt(50)))));
        g.add(() -> ingest(event("\"" + random.nextInt(100) + "\"")));
        g.add(() -> ingest(event(pick("true", "false", "null", "[]", "{}", "[1]", "{\"v\":1}"))));
        g.add(() -> ingest("{\"eventId\":\"" + unicodeTrick() + "\"," + ORG + ",\"appId\":\"premium-minutes\",\"quantity\":1}"));
        g.add(() -> ingest("{\"eventId\":\"" + id() + "\"," + ORG + ",\"appId\":\"" + unicodeTrick()
                + "\",\"quantity\":1}"));
        g.add(() -> ingest("{\"eventId\":\"" + id() + "\",\"organizationId\":\"" + unicodeTrick()
                + "\",\"appId\":\"premium-minutes\",\"quantity\":1}"));
        g.add(() -> ingest("{\"eventId\":\"" + id() + "\"," + ORG
                + ",\"appId\":\"premium-minutes\",\"quantity\":1,\"occurredAt\":\"" + pick("2026-02-30T00:00:00Z",
                        "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-11-23T10:00:00+25:00",
                        "1970-01-01T00:00:00Z", "\\u0000", "") + "\"}"));
        g.add(() -> ingest("{\"eventId\":" + pick("1", "true", "null", "[\"x\"]", "{}") + "," + ORG
                + ",\"appId\":\"premium-minutes\",\"quantity\":1}"));
        g.add(() -> ingest("{\"" + unicodeTrick() + "\":1,\"eventId\":\"" + id() + "\"," + ORG
                + ",\"appId\":\"premium-minutes\",\"quantity\":1}"));
        g.add(() -> ingest("{\"eventId\":\"" + id() + "\",\"eventId\":\"" + id() + "\"," + ORG
                + ",\"appId\":\"premium-minutes\",\"quantity\":1}"));
        g.add(() -> ingest(pick("", " ", "null", "0", "\"x\"", "[]", "[null]", "[[]]", "{}", "[{}]")));
        g.add(() -> HttpRequest.newBuilder(uri("/v1/usage-events")).header("Content-Type",
                pick("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                        "application/json-patch+json", "image/png"))
                .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(event("1"))));
        g.add(() -> HttpRequest.newBuilder(uri("/v1/usage-events")).header("Content-Type", "application/json")
                .header("Authorization", pick("Bearer", "Bearer ", "Basic " + TestEvents.INGEST_TOKEN, "bearer",
                        "Bearer " + TestEvents.INGEST_TOKEN + "x", "Bearer " + "A".repeat(4000),
                        "Bearer " + TestEvents.ADMIN_TOKEN))
                .POST(HttpRequest.BodyPublishers.ofString(event("1"))));
        g.add(() -> HttpRequest.newBuilder(uri("/v1/usage-events")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN).header("X-Junk", "x".repeat(random.nextInt(30_000)))
                .POST(HttpRequest.BodyPublishers.ofString(event("\"1\""))));
        g.add(() -> ingest("{\"eventId\":\"" + id() + "\",\"pad\":\"" + "p".repeat(1024 * 1024) + "\"}"));
        g.add(() -> admin(pick("/v1/submissions?state=" + unicodeTrickEncoded(), "/v1/submissions?limit=-1",
                "/v1/submissions?limit=99999999999", "/v1/submissions?limit=abc",
                "/v1/reconciliation?status=" + unicodeTrickEncoded(), "/v1/reconciliation?limit=0",
                "/v1/reconciliation?org=" + unicodeTrickEncoded(),
                "/v1/usage-events/" + unicodeTrickEncoded()), "GET"));
        g.add(() -> admin("/v1/submissions/" + pick("x", "%00", "..%2F..%2Fetc", "sub-" + "f".repeat(500),
                unicodeTrickEncoded()) + "/retry", "POST"));
        g.add(() -> HttpRequest.newBuilder(uri(pick("/v1/status", "/v1/submissions/flush", "/v1/reconciliation/run")))
                .header("Authorization", pick("", "Bearer", "Bearer wrong", "Bearer " + TestEvents.INGEST_TOKEN))
                .method(pick("GET", "POST"), HttpRequest.BodyPublishers.noBody()));
        return g;
    }

    @Test
    void tenThousandHostileRequestsAreAllRefusedWithA4xxAndChangeNothing() throws Exception {
        long eventsBefore = QuarkusTransaction.requiringNew().call(() -> events.count());
        long recordsBefore = QuarkusTransaction.requiringNew().call(() -> submissions.count());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Supplier<HttpRequest.Builder>> generators = generators();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            int kind = random.nextInt(generators.size());
            HttpRequest request = generators.get(kind).get().timeout(Duration.ofSeconds(30)).build();
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                // the server may close a connection on an oversized header or body: a refusal, not a crash
                status = -1;
            }
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500 || (status >= 200 && status < 400)) {
                serverErrors.add("generator " + kind + " got " + status + " for " + request.method() + " "
                        + request.uri());
            }
        }
        System.out.printf("fuzz: %d hostile requests, answers by status: %s%n", REQUESTS, statuses);
        assertTrue(serverErrors.isEmpty(), serverErrors.size() + " requests were not refused with a 4xx: "
                + serverErrors.subList(0, Math.min(10, serverErrors.size())));
        assertTrue(statuses.getOrDefault(-1, 0) < REQUESTS / 100, "connections dropped: " + statuses);
        assertEquals(200, client.send(HttpRequest.newBuilder(ready.toURI()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the agent is still up and ready");
        assertEquals(eventsBefore, QuarkusTransaction.requiringNew().call(() -> events.count()), "no event stored");
        assertEquals(recordsBefore, QuarkusTransaction.requiringNew().call(() -> submissions.count()));
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    private HttpRequest.Builder ingest(String body) {
        return ingest(body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder ingest(byte[] body) {
        return HttpRequest.newBuilder(uri("/v1/usage-events")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestEvents.INGEST_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder admin(String path, String method) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestEvents.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody());
    }

    private String event(String quantity) {
        return "{\"eventId\":\"" + id() + "\"," + ORG + ",\"appId\":\"premium-minutes\",\"quantity\":" + quantity + "}";
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String truncate(String json) {
        return json.substring(0, random.nextInt(json.length() - 1));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Strings that look harmless but are not: controls, bidi overrides, homoglyphs, lone surrogates. */
    private String unicodeTrick() {
        return pick("evt\\u0000id", "\\u202Eevil", "еvent-cyrillic-e", "\\ud800", "\\udfff", " ", "\\t", "a\\nb",
                "\\u0007bell", "ﬁ-ligature", "x".repeat(129), "\\uFEFFbom", "%00", "../../etc/passwd",
                "<script>", "'; DROP TABLE outbox_event; --");
    }

    private String unicodeTrickEncoded() {
        return java.net.URLEncoder.encode(pick("\u202Eevil", "\u0000", "é", "'; DROP TABLE x;--", "\uD83D\uDE00",
                "a".repeat(3000)), StandardCharsets.UTF_8);
    }
}
