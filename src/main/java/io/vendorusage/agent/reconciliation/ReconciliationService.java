package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.ops.JobWatch;
import io.vendorusage.agent.reconciliation.FiguresQuery.Key;
import io.vendorusage.agent.submission.SubmissionPlanner;
import io.vendorusage.agent.upstream.GenesysClient;
import io.vendorusage.agent.upstream.OrganizationDetail;
import io.vendorusage.agent.upstream.OrganizationUsage;
import io.vendorusage.agent.upstream.Regions;
import io.vendorusage.agent.upstream.UsagePage;

/**
 * One reconciliation run: read the upstream's per-region usage, compare it per (org, app, billing
 * period) with what the agent confirmed, settle uncertain sum records where the figures allow, and store
 * the report. A region or page that cannot be read does not abort the run: the report says what is
 * missing and the run is {@code partial}.
 */
@ApplicationScoped
public class ReconciliationService {

    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);
    static final int PAGE_SIZE = 200;

    private final GenesysClient client;
    private final FiguresQuery figuresQuery;
    private final ReconciliationStore store;
    private final SettlementService settlements;
    private final SubmissionPlanner planner;
    private final ReconciliationMetrics metrics;
    private final AgentConfig config;
    private final Clock clock;
    private final JobWatch watch;
    private final FleetLock fleetLock;
    private final ReentrantLock lock = new ReentrantLock();

    public ReconciliationService(GenesysClient client, FiguresQuery figuresQuery, ReconciliationStore store,
            SettlementService settlements, SubmissionPlanner planner, ReconciliationMetrics metrics,
            AgentConfig config, Clock clock, JobWatch watch, FleetLock fleetLock) {
        this.client = client;
        this.figuresQuery = figuresQuery;
        this.store = store;
        this.settlements = settlements;
        this.planner = planner;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.watch = watch;
        this.fleetLock = fleetLock;
    }

    /** The period figures of one org, and where its period came from. */
    private record Period(Instant start, Instant end, String source) {
    }

    /**
     * Runs now, waiting for a run of this agent in progress to end first. When another agent on the same store
     * is reconciling, this one skips its turn and records a {@code skipped} run saying so.
     */
    public ReconciliationRun run() {
        lock.lock();
        try (JobWatch.Run run = watch.start("reconciliation"); FleetLock.Held fleet = fleetLock.tryAcquire()) {
            return fleet.acquired() ? doRun() : skipped();
        } finally {
            lock.unlock();
        }
    }

    private ReconciliationRun skipped() {
        ReconciliationRun run = newRun(clock.instant());
        run.finishedAt = run.startedAt;
        run.outcome = ReconciliationRun.SKIPPED;
        run.missing = "another agent on this store was reconciling; this agent skipped its turn";
        store.saveRun(run, List.of(), config.reconciliation().historyReports());
        metrics.runSkipped();
        LOG.infof("Reconciliation %s skipped: another agent on this store is reconciling", run.id);
        return run;
    }

    private static ReconciliationRun newRun(Instant now) {
        ReconciliationRun run = new ReconciliationRun();
        run.id = "rec-" + now.toString().replace(":", "").replace(".", "") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        run.startedAt = now;
        return run;
    }

    private ReconciliationRun doRun() {
        Instant now = clock.instant();
        ReconciliationRun run = newRun(now);
        List<String> missing = new ArrayList<>();
        int[] calls = { 0 };

        List<String> regions = config.reconciliation().regions().orElseGet(() -> List.copyOf(Regions.callable()));
        String appIds = config.apps().isEmpty() ? null : String.join(",", new java.util.TreeSet<>(config.apps().keySet()));
        Map<String, OrganizationUsage> upstream = new HashMap<>();
        int regionsRead = 0;
        for (String region : regions) {
            if (readRegion(region, appIds, upstream, missing, calls)) {
                regionsRead++;
            }
        }
        run.regionsQueried = regions.size();
        run.organizationsSeen = upstream.size();

        Instant lagCutoff = now.minus(config.reconciliation().upstreamLag());
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Period calendar = new Period(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), "assumed");
        Map<Key, Figures> figures = figuresQuery.figures(calendar.start(), calendar.end(), lagCutoff,
                Optional.empty());
        Map<String, Period> periods = new HashMap<>();
        for (BillingPeriod p : store.currentPeriods(now)) {
            adoptPeriod(p.organizationId, new Period(p.periodStart, p.periodEnd, "upstream"), figures, periods,
                    lagCutoff, calendar);
        }
        Map<String, Map<String, BigDecimal>> detailUsage = new HashMap<>();
        fetchDetails(figures, periods, detailUsage, missing, calls, lagCutoff, calendar, now);

        Set<Key> keys = new LinkedHashSet<>(figures.keySet());
        upstream.values().forEach(o -> o.usageQuantities().keySet().forEach(app -> keys.add(new Key(o.organizationId(), app))));
        List<ReconciliationRow> rows = new ArrayList<>();
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, BigDecimal> drift = new TreeMap<>();
        for (Key key : keys) {
            Period period = periods.getOrDefault(key.organizationId(), calendar);
            OrganizationUsage listed = upstream.get(key.organizationId());
            BigDecimal up = upstreamFigure(key, listed, detailUsage.get(key.organizationId()));
            Figures f = figures.getOrDefault(key, Figures.empty(planner.modeOf(key.appId())));
            ReconciliationRow row = compare(run.id, key, period, listed, up, f, lagCutoff);
            rows.add(row);
            byStatus.merge(row.status, 1L, Long::sum);
            if ("drift".equals(row.status) && up != null) {
                drift.merge(key.appId(), up.subtract(f.confirmed()).abs(), BigDecimal::add);
            }
        }

        run.finishedAt = clock.instant();
        run.upstreamCalls = calls[0];
        run.rowCount = rows.size();
        run.outcome = regionsRead == 0 && !regions.isEmpty() ? "failed" : missing.isEmpty() ? "success" : "partial";
        run.missing = missing.isEmpty() ? null : truncate(String.join("; ", missing), 2000);
        store.saveRun(run, rows, config.reconciliation().historyReports());
        metrics.runEnded(run.outcome, run.finishedAt.getEpochSecond(), byStatus, drift);
        LOG.infof("Reconciliation %s: %s, %d rows %s, %d upstream calls%s", run.id, run.outcome, rows.size(),
                byStatus, calls[0], run.missing == null ? "" : "; missing: " + run.missing);
        return run;
    }

    /**
     * The upstream's figure for a line: the org detail's per-part usage when it was fetched and lists the
     * app, else the listing's; zero for an org that is listed (or detailed) without the app; null when the
     * upstream said nothing about the org.
     */
    private static BigDecimal upstreamFigure(Key key, OrganizationUsage listed, Map<String, BigDecimal> detail) {
        if (detail != null && detail.containsKey(key.appId())) {
            return detail.get(key.appId());
        }
        if (listed != null) {
            return listed.usageQuantities().getOrDefault(key.appId(), BigDecimal.ZERO);
        }
        return detail != null ? BigDecimal.ZERO : null;
    }

    /** Reads every page of one region; returns whether the region was read completely. */
    private boolean readRegion(String region, String appIds, Map<String, OrganizationUsage> upstream,
            List<String> missing, int[] calls) {
        String after = null;
        int page = 1;
        try {
            while (true) {
                calls[0]++;
                UsagePage p = client.organizationsPage(region, appIds, PAGE_SIZE, after);
                p.organizations().forEach(o -> upstream.put(o.organizationId(), o));
                if (p.nextAfter().isEmpty()) {
                    return true;
                }
                after = p.nextAfter().get();
                page++;
            }
        } catch (RuntimeException e) {
            missing.add("region " + region + " from page " + page + ": " + e.getMessage());
            LOG.warnf("Reconciliation could not read region %s from page %d: %s", region, page, e.getMessage());
            return false;
        }
    }

    /**
     * Fetches the billing period of orgs with uncertain records (their settlement needs it) whose period
     * is not known yet, within agent.reconciliation.max-detail-calls per run.
     */
    private void fetchDetails(Map<Key, Figures> figures, Map<String, Period> periods,
            Map<String, Map<String, BigDecimal>> detailUsage, List<String> missing, int[] calls, Instant lagCutoff,
            Period calendar, Instant now) {
        Set<String> wanted = new LinkedHashSet<>();
        figures.forEach((k, f) -> {
            if (f.uncertain().signum() > 0 && !periods.containsKey(k.organizationId())) {
                wanted.add(k.organizationId());
            }
        });
        int budget = config.reconciliation().maxDetailCalls();
        int failed = 0;
        String firstFailure = null;
        for (String org : wanted) {
            if (budget-- <= 0) {
                missing.add("billing periods of " + (wanted.size() - config.reconciliation().maxDetailCalls())
                        + " orgs (agent.reconciliation.max-detail-calls)");
                break;
            }
            try {
                calls[0]++;
                OrganizationDetail d = client.organizationDetail(org, null);
                detailUsage.put(org, d.usageQuantities());
                if (d.billingPeriodStart() != null && d.billingPeriodEnd() != null) {
                    store.savePeriod(org, d.billingPeriodStart(), d.billingPeriodEnd(), d.region(), now);
                    adoptPeriod(org, new Period(d.billingPeriodStart(), d.billingPeriodEnd(), "upstream"), figures,
                            periods, lagCutoff, calendar);
                }
            } catch (RuntimeException e) {
                LOG.debugf(e, "Detail of org %s could not be read", org);
                failed++;
                firstFailure = firstFailure != null ? firstFailure : org + ": " + e.getMessage();
            }
        }
        if (failed > 0) {
            missing.add("detail of " + failed + " orgs (first: " + firstFailure + ")");
        }
    }

    /** Uses an org's real billing period: its figures are recomputed over it. */
    private void adoptPeriod(String org, Period period, Map<Key, Figures> figures, Map<String, Period> periods,
            Instant lagCutoff, Period calendar) {
        periods.put(org, period);
        if (period.start().equals(calendar.start()) && period.end().equals(calendar.end())) {
            return;
        }
        figures.keySet().removeIf(k -> k.organizationId().equals(org));
        figures.putAll(figuresQuery.figures(period.start(), period.end(), lagCutoff, Optional.of(org)));
    }

    private ReconciliationRow compare(String runId, Key key, Period period, OrganizationUsage listed, BigDecimal up,
            Figures f, Instant lagCutoff) {
        ReconciliationRow row = new ReconciliationRow();
        row.runId = runId;
        row.organizationId = key.organizationId();
        row.appId = key.appId();
        row.region = listed == null ? null : truncate(listed.region(), 32);
        row.periodStart = period.start();
        row.periodEnd = period.end();
        row.periodSource = period.source();
        row.mode = f.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        row.upstreamQuantity = up;
        row.confirmedQuantity = f.confirmed();
        row.recentQuantity = f.recent();
        row.uncertainQuantity = f.uncertain();
        row.pendingQuantity = f.pending();
        boolean agentHasNothing = f.confirmed().signum() == 0 && f.uncertain().signum() == 0
                && f.pending().signum() == 0;
        if (agentHasNothing) {
            row.status = up != null && up.signum() != 0 ? "unknown-org" : "match";
            row.note = "unknown-org".equals(row.status) ? "usage the agent never sent for (informational)" : null;
        } else if (f.uncertain().signum() > 0) {
            row.status = settleOrWait(runId, key, period, up, f, lagCutoff, row);
        } else if (up != null && up.compareTo(f.confirmed()) == 0) {
            row.status = "match";
        } else if (explainedByLag(up, f)) {
            row.status = "upstream-lagging";
            row.note = "records confirmed in the last " + config.reconciliation().upstreamLag() + " explain it";
        } else {
            row.status = "drift";
            row.note = up == null ? "the upstream does not list this org" : "upstream differs by "
                    + up.subtract(f.confirmed()).stripTrailingZeros().toPlainString();
        }
        return row;
    }

    private boolean explainedByLag(BigDecimal up, Figures f) {
        BigDecimal upstream = up == null ? BigDecimal.ZERO : up;
        return upstream.compareTo(f.confirmedBeforeLag()) >= 0 && upstream.compareTo(f.confirmed()) <= 0
                && f.confirmed().compareTo(f.confirmedBeforeLag()) != 0;
    }

    private String settleOrWait(String runId, Key key, Period period, BigDecimal up, Figures f, Instant lagCutoff,
            ReconciliationRow row) {
        if (f.mode() != AppMode.SUM) {
            row.note = "uncertain high-water-mark records are resent by the submitter";
            return "uncertain-pending";
        }
        if (up == null) {
            row.note = "the upstream figure of this org is unknown (not listed, detail unavailable)";
            return "uncertain-pending";
        }
        if (f.lastUncertainAt() != null && f.lastUncertainAt().isAfter(lagCutoff)) {
            row.note = "waiting for the upstream lag to pass since the last record became uncertain";
            return "uncertain-pending";
        }
        if (f.recent().signum() != 0 || f.sending() > 0) {
            row.note = "recent confirmations or sends in flight: the upstream figure may not be final";
            return "uncertain-pending";
        }
        Optional<List<FiguresQuery.Uncertain>> settleable = SettlementService.settleable(
                figuresQuery.uncertain(key, period.start(), period.end()), lagCutoff, f.uncertain());
        if (settleable.isEmpty()) {
            row.note = "uncertain records changed while this run read the figures: settled on a later run";
            return "uncertain-pending";
        }
        String decision = settlements.settle(runId, settleable.get(), up, f);
        row.note = "uncertain settled: " + decision;
        if ("held".equals(decision)) {
            return "drift";
        }
        // confirmed records now explain the upstream figure; resent ones are on their way
        return decision.endsWith(", 0 resent") ? "match" : "uncertain-pending";
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
