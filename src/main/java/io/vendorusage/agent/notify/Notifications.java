package io.vendorusage.agent.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.Startup;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.Secrets;

/**
 * Writes notifications into the store, in the transaction of the change they tell of, so that a change
 * committed is a notification committed and a change rolled back tells nothing. {@link NotificationDelivery}
 * sends them. Nothing is written while {@code agent.notifications.url} is unset or the type is not among
 * {@code agent.notifications.types}. A bad setting (URL without a key, a key that is not {@code whsec_} base64, an
 * unknown type) stops start-up with a line naming the property, never the key.
 */
@Startup
@ApplicationScoped
public class Notifications {

    private final NotificationStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Optional<WebhookSigner> signer;
    private final Set<NotificationType> types;
    private final String source;
    private final String receiver;

    public Notifications(NotificationStore store, ObjectMapper json, Clock clock, AgentConfig config) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        AgentConfig.Notifications n = config.notifications();
        Optional<String> secret = Secrets.resolve("agent.notifications.secret", n.secret(), n.secretFile());
        if (n.url().isPresent()) {
            String scheme = String.valueOf(n.url().get().getScheme());
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalStateException("agent.notifications.url: must be an http or https URL");
            }
            if (secret.isEmpty()) {
                throw new IllegalStateException("agent.notifications.url is set, so agent.notifications.secret (or"
                        + " agent.notifications.secret-file) must be too: every notification is signed");
            }
        }
        this.signer = n.url().isPresent() ? secret.map(s -> WebhookSigner.of("agent.notifications.secret", s))
                : Optional.empty();
        EnumSet<NotificationType> wanted = EnumSet.noneOf(NotificationType.class);
        for (String name : n.types().orElseGet(Notifications::allNames)) {
            wanted.add(NotificationType.ofWireName(name.strip()).orElseThrow(() -> new IllegalStateException(
                    "agent.notifications.types: unknown type " + name.strip() + "; known: " + allNames())));
        }
        this.types = n.url().isPresent() ? wanted : EnumSet.noneOf(NotificationType.class);
        // where they go, without path or query: a webhook URL often carries its own secret there
        this.receiver = n.url().map(u -> u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()))
                .orElse(null);
        String host = System.getenv("HOSTNAME");
        this.source = "urn:vendorusage-agent:" + (host == null || host.isBlank() ? "local" : host.strip());
    }

    private static java.util.List<String> allNames() {
        return java.util.Arrays.stream(NotificationType.values()).map(NotificationType::wireName).toList();
    }

    /** @return whether notifications of this type are sent (the URL is set and the type is wanted) */
    public boolean wanted(NotificationType type) {
        return types.contains(type);
    }

    /** @return whether any notification is sent at all */
    public boolean enabled() {
        return !types.isEmpty();
    }

    /**
     * What {@code /v1/status} shows of notifications.
     *
     * @param receiver the URL's scheme, host and port (never its path or query), null when notifications are off
     * @param types the types sent
     * @param byState notifications by state (pending, delivered, dropped)
     * @param oldestPendingAgeSeconds how long the oldest undelivered one has waited
     * @param lastError the newest failed attempt's error among those still pending
     */
    public record Status(boolean enabled, String receiver, java.util.List<String> types, Map<String, Long> byState,
            double oldestPendingAgeSeconds, String lastError) {
    }

    @Transactional
    public Status status() {
        NotificationStore.Backlog backlog = store.backlog();
        double age = backlog.oldest() == null ? 0
                : Math.max(0, java.time.Duration.between(backlog.oldest(), clock.instant()).toMillis() / 1000.0);
        return new Status(enabled(), receiver, types.stream().map(NotificationType::wireName).toList(),
                store.countByState(), age, store.lastPendingError().orElse(null));
    }

    Optional<WebhookSigner> signer() {
        return signer;
    }

    /**
     * Writes a notification in the caller's transaction (there must be one).
     *
     * @param subject the org the notification is about
     * @param data the CloudEvent's {@code data}: the record or row concerned
     * @return its id, empty when the type is not sent
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> publish(NotificationType type, String subject, Object data) {
        return write(type, subject, null, data);
    }

    /**
     * Like {@link #publish}, once per {@code onceKey} for ever: a second call with the same key (from this agent
     * or another on the same store, before or after a restart) writes nothing.
     *
     * @return its id, empty when the type is not sent or the key was taken
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> publishOnce(NotificationType type, String subject, String onceKey, Object data) {
        return write(type, subject, onceKey, data);
    }

    private Optional<String> write(NotificationType type, String subject, String onceKey, Object data) {
        if (!wanted(type)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", source);
        event.put("type", type.wireName());
        event.put("subject", subject);
        event.put("time", now.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + type.wireName() + " notification as JSON", e);
        }
        return store.insert(id, type, subject, body, onceKey, now) ? Optional.of(id) : Optional.empty();
    }
}
