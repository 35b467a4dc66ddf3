package io.vendorusage.agent.submission.period;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.observability.MetricsConstants;
import io.vendorusage.agent.upstream.GenesysClient;
import io.vendorusage.agent.upstream.OrganizationDetail;
import io.vendorusage.agent.upstream.UpstreamException;

/**
 * Each customer org's billing periods: read from the store, and fetched from the org detail when the store names
 * no period holding now. One detail GET per org and period for the whole fleet: an agent claims the fetch in the
 * store first, and the claim's next fetch time is the end of the period Genesys named (or a backoff after a
 * failure, while the period is assumed).
 */
@ApplicationScoped
public class BillingPeriods {

    private static final Logger LOG = Logger.getLogger(BillingPeriods.class);
    private static final Duration MAX_RETRY = Duration.ofHours(1);

    /** The decisions taken without a known period, as counted. */
    public enum AssumedDecision {
        /** A high-water-mark value went up although a peak might have covered it. */
        PEAK_SENT("peak-sent"),
        /** Due sum windows went up one record each although the budget was short. */
        NOT_MERGED("not-merged"),
        /** A record past its assumed period's close was kept sendable. */
        NOT_CLOSED("not-closed"),
        /** A backfilled event was taken although the period holding it might have closed. */
        BACKFILL_TAKEN("backfill-taken");

        private final String wire;

        AssumedDecision(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * The periods of the orgs a planning step works on.
     *
     * @param waiting orgs whose period another agent is fetching right now: plan them on a later pass
     */
    public record Book(Map<String, PeriodCalendar> calendars, Set<String> waiting) {

        public OrgPeriod periodOf(String organizationId, Instant instant) {
            return calendars.getOrDefault(organizationId, PeriodCalendar.unknown()).periodOf(instant);
        }
    }

    private final PeriodStore store;
    private final GenesysClient client;
    private final AgentConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    public BillingPeriods(PeriodStore store, GenesysClient client, AgentConfig config, MeterRegistry registry,
            Clock clock) {
        this.store = store;
        this.client = client;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    /** @return the org's calendar as the store knows it (no upstream call) */
    @Transactional
    public PeriodCalendar calendar(String organizationId) {
        return PeriodCalendar.of(store.named(List.of(organizationId)).getOrDefault(organizationId, List.of()));
    }

    /**
     * @param organizationIds the orgs, or null for every org the store names a period for
     * @return their calendars as the store knows them
     */
    @Transactional
    public Map<String, PeriodCalendar> calendars(Collection<String> organizationIds) {
        Map<String, PeriodCalendar> calendars = new HashMap<>();
        // a long list of orgs is read as one scan of the table rather than as thousands of bound values
        boolean all = organizationIds == null || organizationIds.size() > 500;
        store.named(all ? null : organizationIds).forEach((org, named) -> {
            if (organizationIds == null || !all || organizationIds.contains(org)) {
                calendars.put(org, PeriodCalendar.of(named));
            }
        });
        return calendars;
    }

    /**
     * Makes sure the current period of each org is known before anything of it is planned: fetches it from the
     * org detail where the store names none holding now and no other agent is fetching it. An org whose detail
     * cannot be read (upstream down, no credentials, an error) is planned on an assumed period and asked again after
     * a backoff; one that has no rate slot right now, or that another agent is fetching, waits for a later pass.
     * Runs its own transactions; never inside the caller's, since it may wait on the upstream.
     */
    public Book prepare(Collection<String> organizationIds) {
        Instant now = clock.instant();
        Set<String> orgs = new HashSet<>(organizationIds);
        Map<String, PeriodCalendar> calendars = QuarkusTransaction.requiringNew().call(() -> calendars(orgs));
        Set<String> waiting = new HashSet<>();
        boolean upstreamFailed = false;
        boolean noSlot = false;
        for (String org : orgs) {
            PeriodCalendar known = calendars.getOrDefault(org, PeriodCalendar.unknown());
            if (known.names(now) || upstreamFailed) {
                continue;
            }
            if (noSlot) {
                waiting.add(org);
                continue;
            }
            Instant until = now.plus(config.submission().lease());
            if (!QuarkusTransaction.requiringNew().call(() -> store.claim(org, now, until))) {
                // another agent fetches it, or a failure's backoff runs: read what the store has now
                PeriodCalendar reread = QuarkusTransaction.requiringNew().call(() -> calendar(org));
                calendars.put(org, reread);
                if (!reread.names(now) && claimedByAnother(org, now)) {
                    waiting.add(org);
                }
                continue;
            }
            try {
                calendars.put(org, fetch(org, now));
            } catch (UpstreamException.RateLimited e) {
                // no rate slot now: nothing was asked, and the budget sends nothing else meanwhile either, so the
                // org's windows wait for the next pass rather than go up on an assumed period
                noSlot = true;
                waiting.add(org);
                QuarkusTransaction.requiringNew().run(() -> store.release(org));
            } catch (RuntimeException e) {
                upstreamFailed = true;
                failed(org, now, e);
            }
        }
        return new Book(calendars, waiting);
    }

    /** Counts a decision taken on an assumed period. */
    public void assumed(AssumedDecision decision) {
        assumed(decision, 1);
    }

    /** Counts {@code times} decisions of one kind taken on an assumed period. */
    public void assumed(AssumedDecision decision, int times) {
        Counter.builder(MetricsConstants.PERIOD_ASSUMED_DECISIONS)
                .description(MetricsConstants.PERIOD_ASSUMED_DECISIONS_DESCRIPTION)
                .tag(MetricsConstants.TAG_DECISION, decision.wire()).register(registry).increment(times);
    }

    /** What the status shows. */
    public record Summary(long organizationsKnown, long organizationsFailing, String lastError) {
    }

    @Transactional
    public Summary summary() {
        PeriodStore.Failing failing = store.failing();
        return new Summary(store.organizationsNamed(), failing.organizations(), failing.lastError());
    }

    /**
     * Stores the period an org detail read for another purpose (reconciliation) named: it counts as this period's
     * fetch, so planning does not ask again.
     *
     * @return the org's calendar with it, empty when the detail names no usable period (nothing is stored)
     */
    public java.util.Optional<PeriodCalendar> learnt(String organizationId, OrganizationDetail detail) {
        if (!usable(detail)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(save(organizationId, detail, clock.instant()));
    }

    private static boolean usable(OrganizationDetail detail) {
        return detail.billingPeriodStart() != null && detail.billingPeriodEnd() != null
                && detail.billingPeriodEnd().isAfter(detail.billingPeriodStart());
    }

    private boolean claimedByAnother(String org, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> store.fetchState(org))
                .map(s -> s.claimedUntil() != null && s.claimedUntil().isAfter(now)).orElse(false);
    }

    private PeriodCalendar fetch(String org, Instant now) {
        OrganizationDetail detail = client.organizationDetail(org, null);
        count("upstream");
        return save(org, detail, now);
    }

    private PeriodCalendar save(String org, OrganizationDetail detail, Instant now) {
        if (!usable(detail)) {
            throw new IllegalStateException("the org detail names no usable billing period ("
                    + detail.billingPeriodStart() + " .. " + detail.billingPeriodEnd() + ")");
        }
        KnownPeriod named = new KnownPeriod(detail.billingPeriodStart(), detail.billingPeriodEnd());
        return QuarkusTransaction.requiringNew().call(() -> {
            store.saveNamed(org, named, detail.region(), now);
            // an answer that does not hold now (the upstream lags a turn) is asked again after a backoff
            store.fetched(org, named.end().isAfter(now) ? named.end() : now.plus(config.submission().periodRetry()));
            LOG.debugf("Billing period of org %s: %s .. %s", org, named.start(), named.end());
            return calendar(org);
        });
    }

    private void failed(String org, Instant now, RuntimeException e) {
        count("failed");
        QuarkusTransaction.requiringNew().run(() -> {
            int failures = store.fetchState(org).map(PeriodStore.FetchState::failures).orElse(0);
            Duration wait = config.submission().periodRetry().multipliedBy(1L << Math.min(failures, 12));
            Instant next = now.plus(wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait);
            store.failed(org, next, e.getMessage());
            LOG.warnf("Billing period of org %s could not be read (%s); it is assumed until %s", org,
                    e.getMessage(), next);
        });
    }

    private void count(String outcome) {
        Counter.builder(MetricsConstants.PERIOD_FETCHES).description(MetricsConstants.PERIOD_FETCHES_DESCRIPTION)
                .tag(MetricsConstants.TAG_OUTCOME, outcome).register(registry).increment();
    }
}
