package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake Genesys Cloud on loopback that bills like the real one (sum apps add, high-water-mark apps keep
 * their peak, per org billing period: the calendar month unless a test gives the org an anchor) and can misbehave on purpose: process a usage POST and then answer 504,
 * answer 429 with Retry-After, or answer slowly; or, in {@link #chaos chaos} mode, mix every fault the real
 * one may show. Unlike WireMock it computes its usage queries from what it actually billed, so
 * reconciliation can be tested end to end. It logs when every call arrived and every Retry-After it gave,
 * so a test can prove the agent's pacing.
 */
public final class FakeGenesys implements AutoCloseable {

    /** One billed usage record, dated as its POST said. */
    public record Billed(String organizationId, String appId, BigDecimal quantity, java.time.Instant dateOccurred) {

        /** A record dated now. */
        public Billed(String organizationId, String appId, BigDecimal quantity) {
            this(organizationId, appId, quantity, java.time.Instant.now());
        }
    }

    /** A call as it arrived ({@link System#nanoTime()}). */
    public record Call(long arrivedNanos, String method, String path) {
    }

    /** A Retry-After answer: sent at {@code answeredNanos}, no call allowed before {@code untilNanos}. */
    public record Hold(long answeredNanos, long untilNanos) {
    }

    private final HttpServer server;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> peakApps;
    private final List<Billed> billed = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Random random = new Random(7);
    private volatile double processedThen504;
    private volatile double tooManyRequests;
    private volatile int slowMillis;
    private volatile int slowQueryMillis;
    private volatile Chaos chaos;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();

    /**
     * Chaos mode's fault mix. A usage POST, by the fractions given, is refused with 429 or 503 and a
     * Retry-After (not billed), answered 500 after billing, 502 without billing, billed then 504, billed
     * then held past the agent's timeout, cut off without an answer (billed or not), or answered slowly.
     * Every {@code tokenFailureEvery}-th token call fails (503 or 500) and every {@code queryFailureEvery}-th
     * usage query too (500, then 429 with Retry-After next time): those calls are few, so they fail by count
     * rather than by chance.
     *
     * @param timeoutMillis the agent's request timeout: "past the timeout" answers later than this
     */
    public record Chaos(double tooMany, double unavailable, double errorBilled, double badGateway,
            double billedThen504, double billedThenTimeout, double dropped, double slow, int tokenFailureEvery,
            int queryFailureEvery, int timeoutMillis) {

        /** About a third of usage POSTs, every fourth token call and every third usage query fail. */
        public static Chaos standard(int timeoutMillis) {
            return new Chaos(0.06, 0.03, 0.03, 0.03, 0.05, 0.03, 0.03, 0.04, 4, 3, timeoutMillis);
        }
    }

    /** A usage POST the fake holds: billed on arrival, its answer written only once {@code release} opens. */
    public record HeldPost(java.util.concurrent.CountDownLatch arrived, java.util.concurrent.CountDownLatch release) {
    }

    private final java.util.concurrent.atomic.AtomicReference<HeldPost> holdNext =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Holds the next usage POST of a sum app: it is billed when it arrives ({@code arrived} opens), and answered
     * only after {@code release} opens, so a test can kill the agent while that POST is in flight.
     */
    public HeldPost holdNextPost() {
        HeldPost held = new HeldPost(new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
        holdNext.set(held);
        return held;
    }

    /** The access token the fake's login service hands out; every API call must carry it. */
    private static final String TOKEN = "fake-token";
    /** The region names Genesys documents (upstream-api.md). */
    private static final Set<String> REGIONS = Set.of("ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ap-south-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
            "eu-west-3", "me-central-1", "sa-east-1", "us-east-1", "us-west-2", "us-east-2");

    public FakeGenesys(Set<String> peakApps) throws IOException {
        this.peakApps = peakApps;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/oauth/token", this::token);
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

    /** How the fake answers one scripted usage POST. */
    public enum Answer {
        /** Billed, 200. */
        OK,
        /** Not billed, 429 with Retry-After: 1 (safe to resend). */
        TOO_MANY,
        /** Billed, then 504: the agent cannot know. */
        BILLED_THEN_504,
        /** Not billed, 502: the agent cannot know either. */
        LOST_502,
        /** Not billed, 400: refused for good. */
        REJECTED
    }

    private final Map<String, java.util.concurrent.ConcurrentLinkedDeque<Answer>> scripts =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Queues the answers to the next usage POSTs for one org; once they are used up, POSTs are billed. */
    public void script(String organizationId, Answer answer) {
        scripts.computeIfAbsent(organizationId, o -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(answer);
    }

    /** A scripted answer the fake gave: to which org and app. */
    public record Given(String organizationId, String appId, Answer answer) {
    }

    private final List<Given> given = new CopyOnWriteArrayList<>();

    /** @return the scripted answers given so far to the org's POSTs */
    public List<Given> scriptedAnswers(String organizationId) {
        return given.stream().filter(g -> g.organizationId().equals(organizationId)).toList();
    }

    /** Forgets the answers still queued for the org. */
    public void clearScript(String organizationId) {
        scripts.remove(organizationId);
    }

    /** Records usage as billed before the test starts, as an earlier agent would have left it. */
    public void alreadyBilled(Billed record) {
        billed.add(record);
    }

    /** Makes every usage query (GET) take {@code millis}, so reconciliation runs last at least that long. */
    public void slowQueries(int millis) {
        this.slowQueryMillis = millis;
    }

    /**
     * Settings for a packaged agent that bills to this fake: both test apps, no grace after a window, a short
     * lease, and reconciliation every second so uncertain records settle within a test.
     */
    public Map<String, String> agentSettings(String adminToken) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("agent.ingest.token", TestEvents.INGEST_TOKEN);
        config.put("agent.admin.token", adminToken);
        config.put("agent.apps.\"" + TestEvents.SUM_APP + "\".mode", "sum");
        config.put("agent.apps.\"" + TestEvents.PEAK_APP + "\".mode", "high-water-mark");
        config.put("agent.genesys.api-url", baseUrl());
        config.put("agent.genesys.login-url", baseUrl());
        config.put("agent.genesys.client-id", "it-client");
        config.put("agent.genesys.client-secret", "it-client-secret");
        config.put("agent.submission.grace", "PT0S");
        // windows of a second: planned a second after their last event (the default waits five)
        config.put("agent.submission.quiet", "PT1S");
        // a record left SENDING by a kill is taken back (and held as uncertain) within seconds; the lease
        // must outlast the longest POST (connect + request timeout)
        config.put("quarkus.rest-client.genesys.connect-timeout", "500");
        config.put("quarkus.rest-client.genesys.read-timeout", "1000");
        config.put("agent.submission.lease", "PT2S");
        config.put("agent.reconciliation.interval", "PT1S");
        config.put("agent.reconciliation.initial-delay", "PT1S");
        config.put("agent.reconciliation.regions", "us-east-1");
        config.put("agent.reconciliation.upstream-lag", "PT1S");
        return config;
    }

    /** Turns chaos mode on with the given mix, or off with {@code null}. */
    public void chaos(Chaos mix) {
        this.chaos = mix;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Hold> holds() {
        return List.copyOf(holds);
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

    private final Map<String, java.time.Instant> anchors = new ConcurrentHashMap<>();

    /**
     * Bills the org on monthly periods from {@code anchor} (day of month and time of day, clamped at month end),
     * instead of the calendar month.
     */
    public void anchor(String organizationId, java.time.Instant anchor) {
        anchors.put(organizationId, anchor);
    }

    /** @return the org's billing period holding {@code at}: [start, end) */
    public java.time.Instant[] periodOf(String organizationId, java.time.Instant at) {
        java.time.LocalDateTime anchor = java.time.LocalDateTime.ofInstant(anchors.getOrDefault(organizationId,
                java.time.Instant.parse("2020-01-01T00:00:00Z")), ZoneOffset.UTC);
        // months from the anchor, counted up one by one: computed from the anchor each time, as Genesys does
        long k = 0;
        while (anchor.plusMonths(k + 1).toInstant(ZoneOffset.UTC).compareTo(at) <= 0) {
            k++;
        }
        while (anchor.plusMonths(k).toInstant(ZoneOffset.UTC).isAfter(at)) {
            k--;
        }
        return new java.time.Instant[] { anchor.plusMonths(k).toInstant(ZoneOffset.UTC),
                anchor.plusMonths(k + 1).toInstant(ZoneOffset.UTC) };
    }

    /** @return per org and app, what the org's current billing period bills (what the usage queries report) */
    public Map<String, Map<String, BigDecimal>> currentPeriodTotals() {
        java.time.Instant now = java.time.Instant.now();
        Map<String, Map<String, BigDecimal>> totals = new TreeMap<>();
        for (Billed b : billed) {
            java.time.Instant[] period = periodOf(b.organizationId(), now);
            if (b.dateOccurred().isBefore(period[0]) || !b.dateOccurred().isBefore(period[1])) {
                continue;
            }
            totals.computeIfAbsent(b.organizationId(), k -> new TreeMap<>()).merge(b.appId(), b.quantity(),
                    peakApps.contains(b.appId()) ? BigDecimal::max : BigDecimal::add);
        }
        return totals;
    }

    /** @return how many org detail requests (billing period) the org got */
    public int detailCalls(String organizationId) {
        return (int) calls.stream().filter(c -> "GET".equals(c.method())
                && c.path().equals("/api/v2/billing/vendorusage/organizations/" + organizationId)).count();
    }

    public Map<String, Integer> answers() {
        Map<String, Integer> copy = new TreeMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void token(HttpExchange ex) throws IOException {
        arrived(ex);
        // as the login service: a client-credentials grant, form-encoded, the client in Basic auth
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (!"POST".equals(ex.getRequestMethod()) || !form.contains("grant_type=client_credentials")) {
            respond(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        if (basic == null || !basic.startsWith("Basic ")) {
            respond(ex, 401, "{\"error\":\"invalid_client\",\"code\":\"bad.credentials\"}");
            return;
        }
        Chaos mix = chaos;
        int n = tokenCalls.incrementAndGet();
        if (mix != null && n % mix.tokenFailureEvery() == 0) {
            count("token failure");
            respond(ex, n / mix.tokenFailureEvery() % 2 == 0 ? 503 : 500, "{\"error\":\"temporarily_unavailable\"}");
            return;
        }
        // under chaos, short-lived tokens: the agent refreshes every few seconds and meets the failures
        respond(ex, 200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":"
                + (mix != null ? 4 : 3600) + "}");
    }

    private void usage(HttpExchange ex) throws IOException {
        arrived(ex);
        String path = ex.getRequestURI().getPath();
        String org = path.length() > "/api/v2/billing/vendorusage/organizations/".length()
                ? path.substring("/api/v2/billing/vendorusage/organizations/".length()) : null;
        Chaos mix = chaos;
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            respond(ex, 401, "{\"message\":\"missing or invalid bearer token\",\"code\":\"authentication.required\"}");
            return;
        }
        if ("POST".equals(ex.getRequestMethod()) && org != null) {
            Billed record = usageCreate(org, ex.getRequestBody().readAllBytes());
            if (record == null) {
                respond(ex, 400, "{\"message\":\"appId (string), usageQuantity (number) and dateOccurred (ISO-8601"
                        + " UTC) are required\",\"code\":\"bad.request\"}");
                return;
            }
            HeldPost held = peakApps.contains(record.appId()) ? null : holdNext.getAndSet(null);
            if (held != null) {
                billed.add(record);
                count("POST held");
                held.arrived().countDown();
                try {
                    held.release().await(30, TimeUnit.SECONDS);
                    respond(ex, 200, receipt());
                } catch (IOException | InterruptedException agentGone) {
                    count("POST answer lost");
                }
                return;
            }
            if (mix != null) {
                chaoticPost(ex, record, mix);
                return;
            }
            Answer scripted = scripts.getOrDefault(org, new java.util.concurrent.ConcurrentLinkedDeque<>()).poll();
            if (scripted != null) {
                scriptedPost(ex, record, scripted);
                return;
            }
            after(slowMillis, ex, () -> {
                double roll = roll();
                if (roll < tooManyRequests) {
                    retryAfter(ex, 429, 1);
                    return;
                }
                billed.add(record);
                respond(ex, roll < tooManyRequests + processedThen504 ? 504 : 200, receipt());
            });
            return;
        }
        after(slowQueryMillis, ex, () -> query(ex, org, mix));
    }

    /** @return the POST body as Genesys reads {@code MeteredAppUsageCreate}, or null when it would answer 400 */
    private Billed usageCreate(String org, byte[] bytes) {
        try {
            JsonNode body = json.readTree(bytes);
            JsonNode app = body.path("appId");
            JsonNode quantity = body.path("usageQuantity");
            JsonNode date = body.path("dateOccurred");
            if (!app.isTextual() || app.asText().isEmpty() || !quantity.isNumber() || !date.isTextual()
                    || !date.asText().endsWith("Z")) {
                return null;
            }
            return new Billed(org, app.asText(), quantity.decimalValue(), java.time.Instant.parse(date.asText()));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The query's parameters (the values decoded). */
    private static Map<String, String> params(HttpExchange ex) {
        Map<String, String> params = new java.util.HashMap<>();
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private void query(HttpExchange ex, String org, Chaos mix) throws IOException {
        int n = queries.incrementAndGet();
        if (mix != null && n % mix.queryFailureEvery() == 0) {
            if (n / mix.queryFailureEvery() % 2 == 0) {
                respond(ex, 500, "{\"message\":\"internal error\"}");
            } else {
                retryAfter(ex, 429, 1);
            }
            return;
        }
        Map<String, Map<String, BigDecimal>> totals = currentPeriodTotals();
        if (org != null) {
            List<Map<String, Object>> usages = new ArrayList<>();
            totals.getOrDefault(org, Map.of()).forEach((app, q) -> usages.add(Map.of("appId", app, "chargeName", app,
                    "partNumber", "P-" + app, "prepayQuantity", 0, "usageQuantity", q)));
            java.time.Instant[] period = periodOf(org, java.time.Instant.now());
            respond(ex, 200, json.writeValueAsString(Map.of("id", org, "region", "us-east-1",
                    "dateBillingPeriodStart", period[0].toString(),
                    // Genesys words the end as the period's last second
                    "dateBillingPeriodEnd", period[1].minusSeconds(1).toString(), "usages", usages,
                    "contract", Map.of("type", "Fake"))));
            return;
        }
        // the list: every org is in us-east-1; other valid regions list none; cursor paging as Genesys pages
        Map<String, String> params = params(ex);
        String region = params.get("region");
        int pageSize;
        try {
            pageSize = Integer.parseInt(params.getOrDefault("pageSize", "25"));
        } catch (NumberFormatException e) {
            pageSize = -1;
        }
        if (region != null && !REGIONS.contains(region) || pageSize < 1 || pageSize > 200) {
            respond(ex, 400, "{\"message\":\"invalid region or pageSize\",\"code\":\"bad.request\"}");
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>();
        if (region == null || "us-east-1".equals(region)) {
            totals.forEach((o, byApp) -> all.add(Map.of("id", o, "region", "us-east-1", "usageQuantities", byApp)));
        }
        int from = params.containsKey("after") ? Integer.parseInt(params.get("after").substring("c".length())) : 0;
        int to = Math.min(all.size(), from + pageSize);
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("entities", all.subList(Math.min(from, to), to));
        if (to < all.size()) {
            page.put("nextUri", "/api/v2/billing/vendorusage/organizations?pageSize=" + pageSize
                    + (region == null ? "" : "&region=" + region) + "&after=c" + to);
        }
        respond(ex, 200, json.writeValueAsString(page));
    }

    private void scriptedPost(HttpExchange ex, Billed record, Answer answer) throws IOException {
        given.add(new Given(record.organizationId(), record.appId(), answer));
        switch (answer) {
            case OK -> {
                billed.add(record);
                respond(ex, 200, receipt());
            }
            case TOO_MANY -> retryAfter(ex, 429, 1);
            case BILLED_THEN_504 -> {
                billed.add(record);
                respond(ex, 504, "{\"message\":\"gateway timeout\"}");
            }
            case LOST_502 -> respond(ex, 502, "{\"message\":\"bad gateway\"}");
            case REJECTED -> respond(ex, 400, "{\"message\":\"invalid usage\",\"code\":\"bad.request\"}");
        }
    }

    /** One POST under the chaos mix: each fault in turn takes its slice of the roll. */
    private void chaoticPost(HttpExchange ex, Billed record, Chaos mix) throws IOException {
        double roll = roll();
        if ((roll -= mix.tooMany()) < 0) {
            retryAfter(ex, 429, 1 + (int) (-roll * 100) % 2);
        } else if ((roll -= mix.unavailable()) < 0) {
            retryAfter(ex, 503, 1);
        } else if ((roll -= mix.errorBilled()) < 0) {
            billed.add(record);
            respond(ex, 500, "{\"message\":\"internal error\"}");
        } else if ((roll -= mix.badGateway()) < 0) {
            respond(ex, 502, "{\"message\":\"bad gateway\"}");
        } else if ((roll -= mix.billedThen504()) < 0) {
            billed.add(record);
            respond(ex, 504, "{\"message\":\"gateway timeout\"}");
        } else if ((roll -= mix.billedThenTimeout()) < 0) {
            billed.add(record);
            after(mix.timeoutMillis() + 500, ex, () -> respond(ex, 200, receipt()));
        } else if ((roll -= mix.dropped()) < 0) {
            if (roll < -mix.dropped() / 2) {
                billed.add(record);
            }
            count("POST dropped");
            ex.close(); // no answer at all: the connection is closed under the agent
        } else {
            after((roll -= mix.slow()) < 0 ? mix.timeoutMillis() / 3 : 0, ex, () -> {
                billed.add(record);
                ex.getResponseHeaders().add("inin-ratelimit-count", "1");
                ex.getResponseHeaders().add("inin-ratelimit-allowed", "300");
                ex.getResponseHeaders().add("inin-ratelimit-reset", "60");
                respond(ex, 200, receipt());
            });
        }
    }

    private String receipt() {
        int n = billed.size();
        return "{\"id\":\"" + n + "\",\"confirmation\":\"c-" + n + "\"}";
    }

    private void retryAfter(HttpExchange ex, int status, int seconds) throws IOException {
        ex.getResponseHeaders().add("Retry-After", String.valueOf(seconds));
        long now = System.nanoTime();
        holds.add(new Hold(now, now + seconds * 1_000_000_000L));
        respond(ex, status, "{\"message\":\"rate limited\"}");
    }

    private void arrived(HttpExchange ex) {
        calls.add(new Call(System.nanoTime(), ex.getRequestMethod(), ex.getRequestURI().getPath()));
    }

    private double roll() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
    }

    private void respond(HttpExchange ex, int status, String body) throws IOException {
        count(ex.getRequestMethod() + " " + status);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** What the fake does to answer an exchange. */
    private interface Step {
        void run() throws IOException;
    }

    /**
     * A slow upstream without a parked thread: the exchange stays open and {@code step} answers it {@code ms}
     * later from the timer (at once when {@code ms} is 0). An agent that gave up meanwhile finds its
     * connection answered into the void, as with a real slow server.
     */
    private void after(int ms, HttpExchange ex, Step step) throws IOException {
        if (ms <= 0) {
            step.run();
            return;
        }
        timer.schedule(() -> {
            try {
                step.run();
            } catch (IOException | RuntimeException gone) {
                ex.close();
            }
        }, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
    }
}
