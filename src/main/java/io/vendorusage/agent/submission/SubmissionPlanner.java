package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.AppModes;
import io.vendorusage.agent.outbox.OutboxEventRepository.Aggregate;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.outbox.OutboxEventRepository.WindowRange;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.submission.period.BillingPeriods.AssumedDecision;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;

/**
 * Aggregates events into usage records, in the database: one transaction per (organization, app, window) locks
 * the window's row, sums (or maximises) its events after {@code planned_count} (a range of ordinals, read through
 * an index) and hands that range to a record. No event row is written.
 *
 * <ul>
 * <li>A window whose newest record is still {@code PLANNED} takes the new events into that record, under a
 * guarded update: never two unsent records for one window.</li>
 * <li>Otherwise late events become a new revision: the delta for sum apps.</li>
 * <li>For high-water-mark apps, events at or below the peak already planned or sent in the org's billing
 * period are covered by the record holding it and send nothing; only a new peak becomes a record.</li>
 * <li>When the rate budget cannot send one record per due window within a window's length, due windows of one
 * (organization, app, the org's billing period) go up as one record dated at the earliest of them.</li>
 * </ul>
 * The org's billing period comes from {@link BillingPeriods}. Where it is not confirmed ({@code assumed}), the
 * planner takes the choice that can neither lose usage nor bill twice: a high-water-mark value is sent (a repeated
 * peak is harmless), sum windows are never merged (a merged record could cross the unknown turn).
 */
@ApplicationScoped
public class SubmissionPlanner {

    private static final Logger LOG = Logger.getLogger(SubmissionPlanner.class);
    static final int GROUPS_PER_PASS = 1000;
    private static final Instant EVERYTHING = PlanningPolicy.EVERYTHING;
    /** Windows planned in one transaction: one commit (one sync) for many small windows. */
    static final int GROUPS_PER_TRANSACTION = 100;
    /** The order every writer and planner locks windows in: (org, app, window), as ingest does. */
    private static final java.util.Comparator<GroupKey> LOCK_ORDER = java.util.Comparator
            .comparing(GroupKey::organizationId).thenComparing(GroupKey::appId).thenComparing(GroupKey::bucketStart);

    /** What planning one group did. */
    public enum Outcome {
        /** A new record was planned. */
        NEW_RECORD,
        /** The events went into the window's planned record. */
        FOLDED,
        /** A high-water-mark peak of the period covers every event: nothing to send. */
        COVERED,
        /** Nothing was left to plan (another planner took the events). */
        NOTHING
    }

    private final OutboxEventRepository events;
    private final OutboxWindows windows;
    private final RecordRanges records;
    private final SubmissionRepository submissions;
    private final AgentConfig config;
    private final AppModes modes;
    private final BillingPeriods periods;
    private final Clock clock;

    public SubmissionPlanner(OutboxEventRepository events, OutboxWindows windows, RecordRanges records,
            SubmissionRepository submissions, AgentConfig config, AppModes modes, BillingPeriods periods,
            Clock clock) {
        this.events = events;
        this.windows = windows;
        this.records = records;
        this.submissions = submissions;
        this.config = config;
        this.modes = modes;
        this.periods = periods;
        this.clock = clock;
    }

    /**
     * @return the windows whose events may be planned: closed and past the grace period, and quiet (no event for
     *         {@code agent.submission.quiet}) or held for {@code agent.submission.max-hold}; all with {@code flush}
     */
    @Transactional
    public List<GroupKey> dueGroups(boolean flush) {
        return windows.due(due(flush), GROUPS_PER_PASS);
    }

    private OutboxWindows.Due due(boolean flush) {
        return PlanningPolicy.due(clock.instant(), flush, config.submission().bucket(), config.submission().grace(),
                config.submission().quiet(), config.submission().maxHold().orElse(config.submission().bucket()));
    }

    /**
     * Whether the upstream budget is short: more records would be due (planned ones and one per due window) than
     * {@code agent.genesys.rate-limit-per-minute} sends within one {@code agent.submission.bucket}. Then due
     * windows of one (organization, app, billing period) go up as one record.
     *
     * @return the budget and what is due, when short
     */
    @Transactional
    public Optional<String> budgetShortage(boolean flush) {
        long budget = PlanningPolicy.budgetPerWindow(config.genesys().rateLimitPerMinute(), config.submission().bucket());
        long planned = submissions.countPlanned();
        // every window past its grace needs a POST soon, quiet or not
        OutboxWindows.Due closed = due(flush);
        long due = windows.countDue(new OutboxWindows.Due(closed.cutoff(), EVERYTHING, EVERYTHING, EVERYTHING));
        return PlanningPolicy.shortage(budget, planned, due);
    }

    /**
     * Plans several windows in one transaction, in lock order ({@link #planMerged} when the budget is short).
     *
     * @return the outcome of each window, in the order given
     */
    @Transactional
    public List<Outcome> planAll(List<GroupKey> windows, boolean merge, boolean flush, BillingPeriods.Book book) {
        List<GroupKey> ordered = new ArrayList<>(windows);
        ordered.sort(LOCK_ORDER);
        java.util.Map<GroupKey, Outcome> outcomes = new java.util.HashMap<>();
        for (GroupKey window : ordered) {
            OrgPeriod period = book.periodOf(window.organizationId(), window.bucketStart());
            outcomes.put(window, merge ? planMerged(window, period, flush) : plan(window, period));
        }
        return windows.stream().map(outcomes::get).toList();
    }

    /** Plans one window's waiting events into a record of its own. */
    private Outcome plan(GroupKey window, OrgPeriod period) {
        return plan(List.of(window), window.bucketStart(), window.bucketStart(), period);
    }

    /**
     * Plans the waiting events of every due window of the group's (organization, app, billing period) into one
     * record dated at the earliest of those windows, for when the budget is short. Without a known period the
     * window goes up alone.
     */
    private Outcome planMerged(GroupKey group, OrgPeriod period, boolean flush) {
        if (!period.known()) {
            periods.assumed(AssumedDecision.NOT_MERGED);
            return plan(group, period);
        }
        OutboxWindows.Due due = due(flush);
        List<GroupKey> span = windows.dueOf(due, group.organizationId(), group.appId(), period.start(),
                PlanningPolicy.mergeReach(period, due.cutoff()));
        if (span.isEmpty()) {
            return Outcome.NOTHING;
        }
        return plan(span, period.start(), span.get(0).bucketStart(), period);
    }

    /**
     * Plans the waiting events of windows of one (org, app), oldest first, into the planned record whose window
     * starts in [{@code foldFrom}, {@code foldTo}] if there is one, else into a new record dated at the first of
     * them. The windows stay locked until the transaction ends; no event row is written.
     */
    private Outcome plan(List<GroupKey> span, Instant foldFrom, Instant foldTo, OrgPeriod period) {
        List<WindowRange> ranges = new ArrayList<>();
        Aggregate total = Aggregate.NONE;
        for (GroupKey window : span) {
            Optional<WindowRange> range = windows.lockUnplanned(window);
            if (range.isPresent()) {
                ranges.add(range.get());
                total = total.plus(events.aggregate(range.get()));
            }
        }
        if (ranges.isEmpty()) {
            return Outcome.NOTHING;
        }
        if (total.count() == 0) {
            // every waiting event was cancelled: the windows move past them, and no record bills nothing
            ranges.forEach(windows::planned);
            return Outcome.NOTHING;
        }
        GroupKey first = span.get(0);
        AppMode mode = modes.of(first.appId());
        Instant now = clock.instant();
        Optional<String> planned = submissions.plannedRecordIn(first.organizationId(), first.appId(), foldFrom, foldTo);
        if (planned.isPresent() && submissions.lockIfPlanned(planned.get(), now)) {
            Submission s = submissions.findById(planned.get());
            // several windows are planned in one transaction: read the row, not a copy an earlier fold left stale
            submissions.getEntityManager().refresh(s);
            submissions.refigure(s.id, PlanningPolicy.folded(mode, s.quantity, total.sum(), total.max()),
                    s.eventCount + total.count(), earliest(s.firstReceivedAt, total.oldestReceivedAt()));
            carry(s.id, ranges, now);
            LOG.debugf("%d events for %s/%s from %s folded into planned record %s", total.count(), first.appId(),
                    first.organizationId(), ranges.get(0).bucketStart(), s.id);
            return Outcome.FOLDED;
        }
        if (mode == AppMode.HIGH_WATER_MARK && !period.known()) {
            // the turn may lie anywhere: the value could be a new period's peak, and a repeated peak is harmless
            periods.assumed(AssumedDecision.PEAK_SENT);
        } else if (mode == AppMode.HIGH_WATER_MARK) {
            Optional<SubmissionRepository.Peak> peak = submissions.periodPeak(first.organizationId(), first.appId(),
                    period.start(), period.end());
            if (PlanningPolicy.coveredByPeak(mode, period.known(), total.max(),
                    peak.map(SubmissionRepository.Peak::quantity))) {
                // the period's peak covers every value: nothing to send
                submissions.addEvents(peak.get().id(), (int) total.count());
                carry(peak.get().id(), ranges, now);
                return Outcome.COVERED;
            }
        }
        Instant window = ranges.get(0).bucketStart();
        int revision = submissions.nextRevision(first.organizationId(), first.appId(), window);
        Submission s = new Submission();
        s.id = SubmissionIds.of(first.organizationId(), first.appId(), window, revision);
        s.organizationId = first.organizationId();
        s.appId = first.appId();
        s.bucketStart = window;
        s.revision = revision;
        s.mode = mode;
        s.quantity = PlanningPolicy.quantity(mode, total.sum(), total.max());
        s.eventCount = (int) total.count();
        s.firstReceivedAt = total.oldestReceivedAt();
        s.periodSource = period.source();
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now;
        s.createdAt = now;
        s.updatedAt = now;
        submissions.persist(s);
        carry(s.id, ranges, now);
        return Outcome.NEW_RECORD;
    }

    /** The record carries the ranges; their windows are planned up to them. */
    private void carry(String submissionId, List<WindowRange> ranges, Instant now) {
        for (WindowRange range : ranges) {
            records.add(submissionId, range, now);
            windows.planned(range);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}
