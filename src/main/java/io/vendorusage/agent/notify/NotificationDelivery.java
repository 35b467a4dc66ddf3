package io.vendorusage.agent.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.Backoff;
import io.vendorusage.agent.observability.JobFailures;

/**
 * Sends due notifications, each under a lease in the store so that one agent of a fleet has it in flight at a
 * time, on its own scheduled thread (ingest and submission never wait for a receiver). Any 2xx delivers it;
 * any other answer, a timeout or a refused connection is a failed attempt, retried after an exponential
 * backoff with jitter under the same id and body, until {@code agent.notifications.max-age} after it was
 * written: then it is dropped with a log line and a metric. A pass stops at its first failure (the receiver
 * is likely down; the rest wait for the next pass rather than each time out in turn).
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class);
    static final int PER_PASS = 50;

    private final NotificationStore store;
    private final Notifications notifications;
    private final NotificationMetrics metrics;
    private final AgentConfig.Notifications config;
    private final Clock clock;
    private final JobFailures failures;
    private final String owner = "agent-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http;

    public NotificationDelivery(NotificationStore store, Notifications notifications, NotificationMetrics metrics,
            AgentConfig config, Clock clock, JobFailures failures) {
        this.store = store;
        this.notifications = notifications;
        this.metrics = metrics;
        this.config = config.notifications();
        this.clock = clock;
        this.failures = failures;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Scheduled(identity = "notification-delivery", skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${agent.notifications.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!notifications.enabled()) {
            return;
        }
        failures.run("notification-delivery", this::pass);
    }

    /** @return how many notifications were delivered in this pass */
    public int pass() {
        Instant now = clock.instant();
        List<String> due = QuarkusTransaction.requiringNew().call(() -> store.dueIds(now, PER_PASS));
        int delivered = 0;
        for (String id : due) {
            Instant at = clock.instant();
            Optional<NotificationStore.Due> claimed = QuarkusTransaction.requiringNew()
                    .call(() -> store.claim(id, owner, at, at.plus(lease())));
            if (claimed.isEmpty()) {
                continue;
            }
            if (!deliver(claimed.get())) {
                break;
            }
            delivered++;
        }
        metrics.refresh();
        return delivered;
    }

    /**
     * How long an agent holds a notification it is sending: longer than the longest delivery (connecting and
     * answering, each up to the timeout), so no other agent sends it meanwhile; an agent killed mid-delivery lets
     * it go when the lease runs out, and another (or the same, restarted) sends it again.
     */
    private Duration lease() {
        return config.timeout().multipliedBy(2).plusSeconds(5);
    }

    private boolean deliver(NotificationStore.Due n) {
        Instant start = clock.instant();
        // the receiver weighs webhook-timestamp against its own wall clock (replays older than minutes are refused)
        long timestamp = Instant.now().getEpochSecond();
        Integer status = null;
        String error = null;
        long began = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(config.url().orElseThrow()).timeout(config.timeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header("webhook-id", n.id()).header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", notifications.signer().orElseThrow().sign(n.id(), timestamp, n.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(n.body())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status / 100 != 2) {
                error = "the receiver answered " + status;
            }
        } catch (HttpTimeoutException e) {
            error = "no answer within " + config.timeout();
        } catch (ConnectException e) {
            error = "connection refused or unreachable";
        } catch (IOException e) {
            error = "delivery failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        int attempt = n.attempts() + 1;
        Instant now = clock.instant();
        String state;
        Instant next = now;
        if (error == null) {
            state = NotificationStore.DELIVERED;
            metrics.counted(n.type(), "delivered");
        } else {
            next = now.plus(Backoff.delay(attempt, config.retryBase(), config.retryMaxDelay()));
            if (next.isAfter(n.createdAt().plus(config.maxAge()))) {
                state = NotificationStore.DROPPED;
                metrics.counted(n.type(), "dropped");
                LOG.warnf("Notification %s (%s) dropped: undelivered for %s after %d attempts; last: %s", n.id(),
                        n.type().wireName(), Duration.between(n.createdAt(), now), attempt, error);
            } else {
                state = NotificationStore.PENDING;
                metrics.counted(n.type(), "failed");
                LOG.debugf("Notification %s attempt %d failed (%s); next at %s", n.id(), attempt, error, next);
            }
        }
        Integer answered = status;
        String failure = error;
        Instant nextAttempt = next;
        QuarkusTransaction.requiringNew().run(() -> store.attempted(n.id(), owner, attempt, start, answered, failure,
                millis, state, nextAttempt, now));
        return error == null;
    }
}
