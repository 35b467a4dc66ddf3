package io.vendorusage.agent.notify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

import io.vendorusage.agent.store.StoreValues;

/** The {@code notification} and {@code notification_attempt} tables. Callers run inside a transaction. */
@ApplicationScoped
class NotificationStore {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String DROPPED = "dropped";

    private final EntityManager em;

    NotificationStore(EntityManager em) {
        this.em = em;
    }

    /** @return whether it was written (false when {@code onceKey} was taken already) */
    boolean insert(String id, NotificationType type, String subject, String body, String onceKey, Instant now) {
        return em.createNativeQuery("INSERT INTO notification (id, type, subject, body, once_key, created_at, state,"
                + " attempts, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?6)"
                + " ON CONFLICT DO NOTHING").setParameter(1, id).setParameter(2, type.wireName())
                .setParameter(3, subject).setParameter(4, body).setParameter(5, onceKey).setParameter(6, utc(now))
                .executeUpdate() == 1;
    }

    /**
     * @return ids of delivered or dropped notifications created before {@code cutoff} that hold no once-key, at most
     *         {@code limit}
     */
    List<String> finishedIdsBefore(Instant cutoff, int limit) {
        return em.createNativeQuery("SELECT id FROM notification WHERE created_at < ?1 AND state <> 'pending'"
                + " AND once_key IS NULL ORDER BY created_at, id", String.class)
                .setParameter(1, utc(cutoff)).setMaxResults(limit).getResultList();
    }

    /** Deletes these notifications and their attempts. @return how many notifications were deleted */
    int delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        em.createNativeQuery("DELETE FROM notification_attempt WHERE notification_id IN (?1)")
                .setParameter(1, List.copyOf(ids)).executeUpdate();
        return em.createNativeQuery("DELETE FROM notification WHERE id IN (?1) AND state <> 'pending'")
                .setParameter(1, List.copyOf(ids)).executeUpdate();
    }

    /** One notification to deliver now. */
    record Due(String id, NotificationType type, String body, int attempts, Instant createdAt) {
    }

    /** @return ids of pending notifications due at {@code now} that no agent holds, oldest first */
    List<String> dueIds(Instant now, int limit) {
        return em.createNativeQuery("SELECT id FROM notification WHERE state = 'pending' AND next_attempt_at <= ?1"
                + " AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at, id", String.class)
                .setParameter(1, utc(now)).setMaxResults(limit).getResultList();
    }

    /** Takes the lease of one due notification until {@code until}: at most one agent holds it. */
    Optional<Due> claim(String id, String owner, Instant now, Instant until) {
        int taken = em.createNativeQuery("UPDATE notification SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1"
                + " AND state = 'pending' AND next_attempt_at <= ?4 AND (lease_until IS NULL OR lease_until <= ?4)")
                .setParameter(1, id).setParameter(2, owner).setParameter(3, utc(until)).setParameter(4, utc(now))
                .executeUpdate();
        if (taken == 0) {
            return Optional.empty();
        }
        Tuple r = (Tuple) em.createNativeQuery("SELECT type AS type, body AS body, attempts AS attempts,"
                + " created_at AS created FROM notification WHERE id = ?1", Tuple.class).setParameter(1, id)
                .getSingleResult();
        return Optional.of(new Due(id, NotificationType.ofWireName(r.get("type", String.class)).orElseThrow(),
                r.get("body", String.class), r.get("attempts", Number.class).intValue(),
                StoreValues.instant(r.get("created"))));
    }

    /** Records one attempt and its outcome; the notification moves on only while {@code owner} holds it. */
    void attempted(String id, String owner, int attempt, Instant at, Integer httpStatus, String error,
            long durationMillis, String state, Instant nextAttemptAt, Instant now) {
        String shortError = error == null || error.length() <= 500 ? error : error.substring(0, 500);
        em.createNativeQuery("INSERT INTO notification_attempt (notification_id, attempt, attempted_at, agent,"
                + " http_status, error, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
                .setParameter(1, id).setParameter(2, attempt).setParameter(3, utc(at)).setParameter(4, owner)
                .setParameter(5, httpStatus).setParameter(6, shortError).setParameter(7, durationMillis)
                .executeUpdate();
        em.createNativeQuery("UPDATE notification SET state = ?3, attempts = ?4, next_attempt_at = ?5,"
                + " finished_at = ?6, last_error = ?7, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ?1 AND lease_owner = ?2").setParameter(1, id).setParameter(2, owner)
                .setParameter(3, state).setParameter(4, attempt).setParameter(5, utc(nextAttemptAt))
                .setParameter(6, PENDING.equals(state) ? null : utc(now)).setParameter(7, shortError)
                .executeUpdate();
    }

    /** A notification as the operator API lists it. */
    record Row(String id, String type, String subject, String state, int attempts, Instant createdAt,
            Instant nextAttemptAt, Instant finishedAt, String lastError) {
    }

    /** One delivery attempt as listed. */
    record Attempt(int attempt, Instant at, String agent, Integer httpStatus, String error, long durationMillis) {
    }

    List<Row> recent(Optional<String> state, int limit) {
        var q = em.createNativeQuery("SELECT id AS id, type AS type, subject AS subject, state AS state,"
                + " attempts AS attempts, created_at AS created, next_attempt_at AS next, finished_at AS finished,"
                + " last_error AS error FROM notification" + (state.isPresent() ? " WHERE state = ?1" : "")
                + " ORDER BY created_at DESC, id DESC", Tuple.class).setMaxResults(limit);
        state.ifPresent(s -> q.setParameter(1, s));
        List<Row> rows = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Tuple r = (Tuple) o;
            rows.add(new Row(r.get("id", String.class), r.get("type", String.class), r.get("subject", String.class),
                    r.get("state", String.class), r.get("attempts", Number.class).intValue(),
                    StoreValues.instant(r.get("created")), StoreValues.instant(r.get("next")),
                    StoreValues.instant(r.get("finished")), r.get("error", String.class)));
        }
        return rows;
    }

    Map<String, List<Attempt>> attempts(Collection<String> ids) {
        Map<String, List<Attempt>> byId = new HashMap<>();
        if (ids.isEmpty()) {
            return byId;
        }
        for (Object o : em.createNativeQuery("SELECT notification_id AS id, attempt AS attempt, attempted_at AS at,"
                + " agent AS agent, http_status AS status, error AS error, duration_ms AS ms FROM notification_attempt"
                + " WHERE notification_id IN (?1) ORDER BY attempt", Tuple.class).setParameter(1, List.copyOf(ids))
                .getResultList()) {
            Tuple r = (Tuple) o;
            Number status = r.get("status", Number.class);
            byId.computeIfAbsent(r.get("id", String.class), k -> new ArrayList<>()).add(new Attempt(
                    r.get("attempt", Number.class).intValue(), StoreValues.instant(r.get("at")),
                    r.get("agent", String.class), status == null ? null : status.intValue(),
                    r.get("error", String.class), r.get("ms", Number.class).longValue()));
        }
        return byId;
    }

    /** The pending notifications: how many, and since when the oldest waits. */
    record Backlog(long pending, Instant oldest) {
    }

    Backlog backlog() {
        Tuple r = (Tuple) em.createNativeQuery("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM notification"
                + " WHERE state = 'pending'", Tuple.class).getSingleResult();
        return new Backlog(r.get("n", Number.class).longValue(), StoreValues.instant(r.get("oldest")));
    }

    /** @return how many notifications are in each state */
    Map<String, Long> countByState() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object o : em.createNativeQuery("SELECT state AS state, COUNT(*) AS n FROM notification GROUP BY state",
                Tuple.class).getResultList()) {
            Tuple r = (Tuple) o;
            counts.put(r.get("state", String.class), r.get("n", Number.class).longValue());
        }
        return counts;
    }

    /** @return the error of the newest failed attempt at a notification still pending, if any */
    Optional<String> lastPendingError() {
        List<?> rows = em.createNativeQuery("SELECT last_error FROM notification WHERE state = 'pending'"
                + " AND last_error IS NOT NULL ORDER BY next_attempt_at DESC", String.class).setMaxResults(1)
                .getResultList();
        return rows.stream().map(String.class::cast).findFirst();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
