package io.vendorusage.agent.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP receiver of the agent's notifications on a loopback port: it records every delivery it gets and
 * answers as the test scripts it (a status, a hang past the agent's timeout), or refuses connections outright
 * while it is down. Started as a test resource that points {@code agent.notifications.*} at it; injected into
 * fields of its type.
 */
public class NotificationReceiver implements QuarkusTestResourceLifecycleManager {

    /** One delivery as it arrived, and what the receiver answered (0 when it hung up without answering). */
    public record Received(String id, String timestamp, String signature, String contentType, String body,
            int answered) {
    }

    private final String secret;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "notification-receiver");
        t.setDaemon(true);
        return t;
    });
    private volatile long hangMillis = 3000;
    /** Counted down to end every hang in progress. */
    private volatile CountDownLatch hangs = new CountDownLatch(1);
    private HttpServer server;
    private int port;

    /** An answer meaning: keep the connection open, say nothing, longer than the agent waits. */
    public static final int HANG = -1;

    public NotificationReceiver() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public Map<String, String> start() {
        listen(0);
        return Map.of("agent.notifications.url", url(), "agent.notifications.secret", secret,
                "agent.notifications.timeout", "PT1S", "agent.notifications.retry-base", "PT0.05S",
                "agent.notifications.retry-max-delay", "PT0.2S", "agent.notifications.interval", "PT1S");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(NotificationReceiver.class));
    }

    @Override
    public synchronized void stop() {
        hangs.countDown();
        hangs = new CountDownLatch(1);
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks/vendorusage";
    }

    public String secret() {
        return secret;
    }

    /** The next deliveries get these answers in turn ({@link #HANG} for a hang), then 204 again. */
    public synchronized void answerNext(int... statuses) {
        for (int s : statuses) {
            script.addLast(s);
        }
    }

    /** How long a {@link #HANG} keeps the connection open without an answer. */
    public void hangFor(java.time.Duration hang) {
        hangMillis = hang.toMillis();
    }

    /** Closes the port: connections are refused until {@link #recover()}. */
    public synchronized void refuse() {
        stop();
    }

    /** Listens again on the same port, answering 204 to all. */
    public synchronized void recover() {
        script.clear();
        if (server == null) {
            listen(port);
        }
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized void reset() {
        hangs.countDown();
        hangs = new CountDownLatch(1);
        script.clear();
        received.clear();
        if (server == null) {
            listen(port);
        }
    }

    private void listen(int on) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + on, e);
        }
        port = server.getAddress().getPort();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int answer;
        synchronized (this) {
            answer = script.isEmpty() ? 204 : script.removeFirst();
            var h = exchange.getRequestHeaders();
            received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                    h.getFirst("webhook-signature"), h.getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8), answer == HANG ? 0 : answer));
        }
        if (answer == HANG) {
            // the fake's own behaviour: a receiver that holds the connection without answering, until it is
            // stopped or reset, or the hang's time has passed
            CountDownLatch hung = hangs;
            try {
                hung.await(hangMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }
}
