package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake Genesys Cloud on loopback that bills like the real one (sum apps add, high-water-mark apps keep
 * their peak, per UTC month) and can misbehave on purpose: process a usage POST and then answer 504,
 * answer 429 with Retry-After, or answer slowly. Unlike WireMock it computes its usage queries from what
 * it actually billed, so reconciliation can be tested end to end.
 */
public final class FakeGenesys implements AutoCloseable {

    /** One billed usage record. */
    public record Billed(String organizationId, String appId, BigDecimal quantity) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> peakApps;
    private final List<Billed> billed = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Random random = new Random(7);
    private volatile double processedThen504;
    private volatile double tooManyRequests;
    private volatile int slowMillis;

    public FakeGenesys(Set<String> peakApps) throws IOException {
        this.peakApps = peakApps;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/oauth/token", ex -> respond(ex, 200,
                "{\"access_token\":\"fake-token\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
        server.createContext("/api/v2/billing/vendorusage/organizations", this::usage);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Fractions of usage POSTs that are billed but answered 504, or refused with 429. */
    public void misbehave(double processedThen504, double tooManyRequests, int slowMillis) {
        this.processedThen504 = processedThen504;
        this.tooManyRequests = tooManyRequests;
        this.slowMillis = slowMillis;
    }

    public List<Billed> billed() {
        return List.copyOf(billed);
    }

    /** @return per org and app, what is billed: sums for sum apps, peaks for high-water-mark apps */
    public Map<String, Map<String, BigDecimal>> totals() {
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (Billed b : billed) {
            totals.computeIfAbsent(b.organizationId(), k -> new TreeMap<>()).merge(b.appId(), b.quantity(),
                    peakApps.contains(b.appId()) ? BigDecimal::max : BigDecimal::add);
        }
        return totals;
    }

    public Map<String, Integer> answers() {
        Map<String, Integer> copy = new TreeMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void usage(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String org = path.length() > "/api/v2/billing/vendorusage/organizations/".length()
                ? path.substring("/api/v2/billing/vendorusage/organizations/".length()) : null;
        if ("POST".equals(ex.getRequestMethod()) && org != null) {
            JsonNode body = json.readTree(ex.getRequestBody());
            sleep(slowMillis);
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < tooManyRequests) {
                ex.getResponseHeaders().add("Retry-After", "1");
                respond(ex, 429, "{\"message\":\"rate limited\"}");
                return;
            }
            billed.add(new Billed(org, body.get("appId").asText(), body.get("usageQuantity").decimalValue()));
            respond(ex, roll < tooManyRequests + processedThen504 ? 504 : 200,
                    "{\"id\":\"" + billed.size() + "\",\"confirmation\":\"c-" + billed.size() + "\"}");
            return;
        }
        Map<String, Map<String, BigDecimal>> totals = totals();
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        if (org != null) {
            List<Map<String, Object>> usages = new ArrayList<>();
            totals.getOrDefault(org, Map.of()).forEach((app, q) -> usages.add(Map.of("appId", app, "chargeName", app,
                    "partNumber", "P-" + app, "prepayQuantity", 0, "usageQuantity", q)));
            respond(ex, 200, json.writeValueAsString(Map.of("id", org, "region", "us-east-1",
                    "dateBillingPeriodStart", month.atDay(1).toString(),
                    "dateBillingPeriodEnd", month.atEndOfMonth().toString(), "usages", usages,
                    "contract", Map.of("type", "Fake"))));
            return;
        }
        List<Map<String, Object>> entities = new ArrayList<>();
        if (String.valueOf(ex.getRequestURI().getQuery()).contains("region=us-east-1")) {
            totals.forEach((o, byApp) -> entities.add(Map.of("id", o, "region", "us-east-1", "usageQuantities", byApp)));
        }
        respond(ex, 200, json.writeValueAsString(Map.of("entities", entities)));
    }

    private void respond(HttpExchange ex, int status, String body) throws IOException {
        answers.computeIfAbsent(ex.getRequestMethod() + " " + status, k -> new AtomicInteger()).incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(int ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
