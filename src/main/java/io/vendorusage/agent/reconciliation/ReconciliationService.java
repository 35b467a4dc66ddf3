package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.reconciliation.FiguresQuery.Key;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.upstream.OrganizationDetail;
import io.vendorusage.agent.upstream.Regions;

/**
 * One reconciliation run: read the upstream's side ({@link UpstreamReader}), compute the agent's over each org's
 * billing period ({@link AgentSide}), judge every (org, app, period) line ({@link RowClassifier}), settle uncertain
 * sum records where the figures allow ({@link SettlementService}), and store the report. A region or page that
 * cannot be read does not abort the run: the report says what is missing and the run is {@code partial}.
 */
@ApplicationScoped
public class ReconciliationService {

    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);

    private final UpstreamReader upstream;
    private final FiguresQuery figuresQuery;
    private final ReconciliationStore store;
    private final SettlementService settlements;
    private final AppModes modes;
    private final ReconciliationMetrics metrics;
    private final AgentConfig config;
    private final Clock clock;
    private final JobWatch watch;
    private final FleetLock fleetLock;
    private final BillingPeriods periods;
    private final ReentrantLock lock = new ReentrantLock();

    public ReconciliationService(UpstreamReader upstream, FiguresQuery figuresQuery, ReconciliationStore store,
            SettlementService settlements, AppModes modes, ReconciliationMetrics metrics, AgentConfig config,
            Clock clock, JobWatch watch, FleetLock fleetLock, BillingPeriods periods) {
        this.upstream = upstream;
        this.figuresQuery = figuresQuery;
        this.store = store;
        this.settlements = settlements;
        this.modes = modes;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.watch = watch;
        this.fleetLock = fleetLock;
        this.periods = periods;
    }

    /**
     * Runs now, waiting for a run of this agent in progress to end first. When another agent on the same store
     * is reconciling, this one skips its turn and records a {@code skipped} run saying so.
     */
    public ReconciliationRun run() {
        lock.lock();
        try (JobWatch.Run run = watch.start("reconciliation"); FleetLock.Held fleet = fleetLock.tryAcquire()) {
            return fleet.acquired() ? reconcile() : skipped();
        } finally {
            lock.unlock();
        }
    }

    private ReconciliationRun skipped() {
        ReconciliationRun run = ReconciliationRun.startedAt(clock.instant());
        run.finishedAt = run.startedAt;
        run.outcome = RunOutcome.SKIPPED;
        run.missing = "another agent on this store was reconciling; this agent skipped its turn";
        store.saveRun(run, List.of(), config.reconciliation().historyReports());
        metrics.runSkipped();
        LOG.infof("Reconciliation %s skipped: another agent on this store is reconciling", run.id);
        return run;
    }

    private ReconciliationRun reconcile() {
        Instant now = clock.instant();
        ReconciliationRun run = ReconciliationRun.startedAt(now);
        RunTally tally = new RunTally();
        UpstreamSnapshot theirs = upstream.listing(regions(), appIds(), tally);
        AgentSide ours = new AgentSide(figuresQuery, now, now.minus(config.reconciliation().upstreamLag()));
        periods.calendars(null).forEach((org, calendar) -> ours.adopt(org, Period.of(calendar.periodOf(now))));
        readDetailsForSettling(ours, theirs, tally, now);

        RowClassifier classifier = new RowClassifier(config.reconciliation().upstreamLag());
        List<ReconciliationRow> rows = new ArrayList<>();
        for (Key key : lineKeys(ours, theirs)) {
            Line line = new Line(key, ours.periodOf(key.organizationId()), theirs.listing(key.organizationId()),
                    theirs.figure(key), ours.figures(key, modes.of(key.appId())));
            RowClassifier.Verdict verdict = classifier.classify(line.upstream(), line.figures(), ours.lagCutoff());
            if (verdict.settle()) {
                verdict = settle(run.id, line, ours.lagCutoff());
            }
            rows.add(ReconciliationRow.of(run.id, line, verdict));
        }
        return finish(run, theirs, tally, rows);
    }

    /** The settlement of a line whose uncertain records the figures can judge. */
    private RowClassifier.Verdict settle(String runId, Line line, Instant lagCutoff) {
        Optional<List<FiguresQuery.Uncertain>> settleable = SettlementMatching.settleable(
                figuresQuery.uncertain(line.key(), line.period().start(), line.period().end()), lagCutoff,
                line.figures().uncertain());
        if (settleable.isEmpty()) {
            return RowClassifier.snapshotMoved();
        }
        return RowClassifier.afterSettlement(
                settlements.settle(runId, settleable.get(), line.upstream(), line.figures()));
    }

    /** The log shows statuses as the API and the metrics name them. */
    private static Map<String, Long> wireNames(Map<RowStatus, Long> byStatus) {
        Map<String, Long> named = new TreeMap<>();
        byStatus.forEach((status, count) -> named.put(status.wire(), count));
        return named;
    }

    private ReconciliationRun finish(ReconciliationRun run, UpstreamSnapshot theirs, RunTally tally,
            List<ReconciliationRow> rows) {
        Map<RowStatus, Long> byStatus = new EnumMap<>(RowStatus.class);
        Map<String, BigDecimal> drift = new TreeMap<>();
        for (ReconciliationRow row : rows) {
            byStatus.merge(row.status, 1L, Long::sum);
            if (row.status == RowStatus.DRIFT && row.upstreamQuantity != null) {
                drift.merge(row.appId, row.upstreamQuantity.subtract(row.confirmedQuantity).abs(), BigDecimal::add);
            }
        }
        run.finishedAt = clock.instant();
        run.regionsQueried = theirs.regionsQueried();
        run.organizationsSeen = theirs.listed().size();
        run.upstreamCalls = tally.calls();
        run.rowCount = rows.size();
        run.outcome = theirs.nothingRead() ? RunOutcome.FAILED : tally.complete() ? RunOutcome.SUCCESS
                : RunOutcome.PARTIAL;
        run.missing = tally.missingText(2000);
        store.saveRun(run, rows, config.reconciliation().historyReports());
        metrics.runEnded(run.outcome, run.finishedAt.getEpochSecond(), byStatus, drift);
        LOG.infof("Reconciliation %s: %s, %d rows %s, %d upstream calls%s", run.id, run.outcome.wire(), rows.size(),
                wireNames(byStatus), tally.calls(), run.missing == null ? "" : "; missing: " + run.missing);
        return run;
    }

    /**
     * Reads the org detail of orgs with uncertain records whose settlement needs it (their current period is not
     * confirmed yet, or the listing did not name them), within agent.reconciliation.max-detail-calls per run;
     * learnt periods are stored for planning and later runs.
     */
    private void readDetailsForSettling(AgentSide ours, UpstreamSnapshot theirs, RunTally tally, Instant now) {
        Set<String> wanted = ours.uncertainNeedingDetail(theirs.listed().keySet());
        int budget = config.reconciliation().maxDetailCalls();
        int failed = 0;
        String firstFailure = null;
        for (String org : wanted) {
            if (budget-- <= 0) {
                tally.missing("billing periods of " + (wanted.size() - config.reconciliation().maxDetailCalls())
                        + " orgs (agent.reconciliation.max-detail-calls)");
                break;
            }
            try {
                OrganizationDetail d = upstream.detail(org, tally);
                theirs.detailed(org, d.usageQuantities());
                periods.learnt(org, d).ifPresent(calendar -> ours.adopt(org, Period.of(calendar.periodOf(now))));
            } catch (RuntimeException e) {
                LOG.debugf(e, "Detail of org %s could not be read", org);
                failed++;
                firstFailure = firstFailure != null ? firstFailure : org + ": " + e.getMessage();
            }
        }
        if (failed > 0) {
            tally.missing("detail of " + failed + " orgs (first: " + firstFailure + ")");
        }
    }

    /** Every line either side knows: the agent's (org, app) pairs and every app the upstream lists per org. */
    private static Set<Key> lineKeys(AgentSide ours, UpstreamSnapshot theirs) {
        Set<Key> keys = new LinkedHashSet<>(ours.keys());
        theirs.listed().values().forEach(o -> o.usageQuantities().keySet()
                .forEach(app -> keys.add(new Key(o.organizationId(), app))));
        return keys;
    }

    private List<String> regions() {
        return config.reconciliation().regions().orElseGet(() -> List.copyOf(Regions.callable()));
    }

    /** @return the configured apps, comma-separated as the listing takes them, or null for every app */
    private String appIds() {
        return config.apps().isEmpty() ? null : String.join(",", new TreeSet<>(config.apps().keySet()));
    }
}
