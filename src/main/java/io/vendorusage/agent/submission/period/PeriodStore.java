package io.vendorusage.agent.submission.period;

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
import jakarta.persistence.Query;

import io.vendorusage.agent.store.StoreValues;

/**
 * The named billing periods of each org ({@code org_billing_period}) and the shared state of fetching them
 * ({@code org_period_fetch}). Callers run inside a transaction.
 */
@ApplicationScoped
class PeriodStore {

    private final EntityManager em;

    PeriodStore(EntityManager em) {
        this.em = em;
    }

    /** @return the named periods of the given orgs (every org with one when {@code organizationIds} is null) */
    Map<String, List<KnownPeriod>> named(Collection<String> organizationIds) {
        Map<String, List<KnownPeriod>> byOrg = new HashMap<>();
        if (organizationIds != null && organizationIds.isEmpty()) {
            return byOrg;
        }
        Query q = em.createNativeQuery("SELECT organization_id AS org, period_start AS s, period_end AS e"
                + " FROM org_billing_period" + (organizationIds == null ? "" : " WHERE organization_id IN (?1)")
                + " ORDER BY period_start", Tuple.class);
        if (organizationIds != null) {
            q.setParameter(1, List.copyOf(organizationIds));
        }
        for (Object o : q.getResultList()) {
            Tuple r = (Tuple) o;
            byOrg.computeIfAbsent(r.get("org", String.class), k -> new ArrayList<>())
                    .add(new KnownPeriod(StoreValues.instant(r.get("s")), StoreValues.instant(r.get("e"))));
        }
        return byOrg;
    }

    /** Stores a period the org detail named (the same start again replaces its end). */
    void saveNamed(String organizationId, KnownPeriod period, String region, Instant now) {
        em.createNativeQuery("INSERT INTO org_billing_period (organization_id, period_start, period_end, source,"
                + " region, fetched_at) VALUES (?1, ?2, ?3, 'upstream', ?4, ?5) ON CONFLICT (organization_id,"
                + " period_start) DO UPDATE SET period_end = excluded.period_end, region = excluded.region,"
                + " fetched_at = excluded.fetched_at").setParameter(1, organizationId)
                .setParameter(2, utc(period.start())).setParameter(3, utc(period.end()))
                .setParameter(4, region == null || region.length() <= 32 ? region : region.substring(0, 32))
                .setParameter(5, utc(now)).executeUpdate();
    }

    /**
     * Claims the fetch of an org's current period for {@code until}: only when no agent holds it and its next
     * fetch is due.
     *
     * @return whether this agent now holds it
     */
    boolean claim(String organizationId, Instant now, Instant until) {
        em.createNativeQuery("INSERT INTO org_period_fetch (organization_id, next_fetch_at, failures) VALUES (?1, ?2, 0)"
                + " ON CONFLICT (organization_id) DO NOTHING").setParameter(1, organizationId).setParameter(2, utc(now))
                .executeUpdate();
        return em.createNativeQuery("UPDATE org_period_fetch SET claimed_until = ?2 WHERE organization_id = ?1"
                + " AND next_fetch_at <= ?3 AND (claimed_until IS NULL OR claimed_until <= ?3)")
                .setParameter(1, organizationId).setParameter(2, utc(until)).setParameter(3, utc(now))
                .executeUpdate() == 1;
    }

    /** The fetch succeeded: nothing to ask before {@code next}. */
    void fetched(String organizationId, Instant next) {
        em.createNativeQuery("UPDATE org_period_fetch SET next_fetch_at = ?2, failures = 0, claimed_until = NULL,"
                + " last_error = NULL WHERE organization_id = ?1").setParameter(1, organizationId)
                .setParameter(2, utc(next)).executeUpdate();
    }

    /** Nothing was asked (no rate slot): any agent may claim it again at once. */
    void release(String organizationId) {
        em.createNativeQuery("UPDATE org_period_fetch SET claimed_until = NULL WHERE organization_id = ?1")
                .setParameter(1, organizationId).executeUpdate();
    }

    /** The fetch failed: try again at {@code next}. */
    void failed(String organizationId, Instant next, String error) {
        em.createNativeQuery("UPDATE org_period_fetch SET next_fetch_at = ?2, failures = failures + 1,"
                + " claimed_until = NULL, last_error = ?3 WHERE organization_id = ?1").setParameter(1, organizationId)
                .setParameter(2, utc(next))
                .setParameter(3, error == null || error.length() <= 500 ? error : error.substring(0, 500))
                .executeUpdate();
    }

    /** The fetch state of one org. */
    record FetchState(Instant nextFetchAt, int failures, Instant claimedUntil, String lastError) {
    }

    Optional<FetchState> fetchState(String organizationId) {
        List<?> rows = em.createNativeQuery("SELECT next_fetch_at AS next, failures AS f, claimed_until AS claimed,"
                + " last_error AS error FROM org_period_fetch WHERE organization_id = ?1", Tuple.class)
                .setParameter(1, organizationId).getResultList();
        return rows.stream().map(Tuple.class::cast).map(r -> new FetchState(StoreValues.instant(r.get("next")),
                r.get("f", Number.class).intValue(), StoreValues.instant(r.get("claimed")),
                r.get("error", String.class))).findFirst();
    }

    /** Orgs whose last fetch failed, how many, and the newest error. */
    record Failing(long organizations, String lastError) {
    }

    Failing failing() {
        Tuple r = (Tuple) em.createNativeQuery("SELECT COUNT(*) AS n, MAX(last_error) AS error FROM org_period_fetch"
                + " WHERE failures > 0", Tuple.class).getSingleResult();
        return new Failing(r.get("n", Number.class).longValue(), r.get("error", String.class));
    }

    long organizationsNamed() {
        return ((Number) em.createNativeQuery("SELECT COUNT(DISTINCT organization_id) FROM org_billing_period")
                .getSingleResult()).longValue();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
