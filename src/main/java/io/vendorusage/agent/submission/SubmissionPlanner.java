package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.outbox.OutboxEventRepository;
import io.vendorusage.agent.outbox.OutboxEventRepository.Aggregate;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.outbox.OutboxEventRepository.Span;

/**
 * Aggregates events into usage records, in the database: one transaction per (organization, app, window)
 * assigns the group's unassigned events to a record (one write per event, the only one after ingest) and
 * sums (or maximises) exactly the rows that record carries.
 *
 * <ul>
 * <li>A window whose newest record is still {@code PLANNED} takes the new events into that record, under a
 * guarded update: never two unsent records for one window.</li>
 * <li>Otherwise late events become a new revision: the delta for sum apps.</li>
 * <li>For high-water-mark apps, events at or below the peak already planned or sent in the billing period are
 * covered by the record holding it and send nothing; only a new peak becomes a record.</li>
 * <li>When the rate budget cannot send one record per due window within a window's length, due windows of one
 * (organization, app, billing period) go up as one record dated at the earliest of them.</li>
 * </ul>
 */
@ApplicationScoped
public class SubmissionPlanner {

    private static final Logger LOG = Logger.getLogger(SubmissionPlanner.class);
    static final int GROUPS_PER_PASS = 1000;

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
    private final SubmissionRepository submissions;
    private final AgentConfig config;
    private final Clock clock;

    public SubmissionPlanner(OutboxEventRepository events, SubmissionRepository submissions, AgentConfig config,
            Clock clock) {
        this.events = events;
        this.submissions = submissions;
        this.config = config;
        this.clock = clock;
    }

    /** @return the windows whose events may be planned: closed and past the grace period, or all with {@code flush} */
    @Transactional
    public List<GroupKey> dueGroups(boolean flush) {
        return events.unassignedGroups(cutoff(flush), GROUPS_PER_PASS);
    }

    private Instant cutoff(boolean flush) {
        return flush ? Instant.parse("9999-12-31T00:00:00Z")
                : clock.instant().minus(config.submission().bucket()).minus(config.submission().grace());
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
        long budget = Math.max(1, config.genesys().rateLimitPerMinute() * config.submission().bucket().toSeconds() / 60);
        long planned = ((Number) submissions.plannedSummary()[0]).longValue();
        long windows = events.countUnassignedGroups(cutoff(flush));
        if (planned + windows <= budget) {
            return Optional.empty();
        }
        return Optional.of(planned + " planned records and " + windows + " due windows exceed the " + budget
                + " records the rate budget sends in one window");
    }

    /** Billing mode of an app; an app without configuration is treated as sum, which is never resent blindly. */
    public AppMode modeOf(String appId) {
        AgentConfig.App app = config.apps().get(appId);
        return app == null ? AppMode.SUM : app.mode();
    }

    /** Plans one window's unassigned events into a record of its own. */
    @Transactional
    public Outcome plan(GroupKey group) {
        return plan(Span.of(group), group.bucketStart(), group.bucketStart());
    }

    /**
     * Plans the unassigned events of every due window of the group's (organization, app, billing period) into one
     * record dated at the earliest of those windows, for when the budget is short.
     */
    @Transactional
    public Outcome planMerged(GroupKey group, boolean flush) {
        BillingMonth month = BillingMonth.of(group.bucketStart());
        Instant last = month.end().minusNanos(1000);
        Instant cutoff = cutoff(flush);
        Span span = new Span(group.organizationId(), group.appId(), month.start(),
                cutoff.isBefore(last) ? cutoff : last);
        Optional<Instant> first = events.firstUnassignedWindow(span);
        if (first.isEmpty()) {
            return Outcome.NOTHING;
        }
        return plan(new Span(span.organizationId(), span.appId(), first.get(), span.lastBucket()), month.start(),
                first.get());
    }

    /**
     * Plans a span into the planned record whose window starts in [{@code foldFrom}, {@code foldTo}] if there is
     * one, else into a new record dated at the span's first window.
     */
    private Outcome plan(Span span, Instant foldFrom, Instant foldTo) {
        AppMode mode = modeOf(span.appId());
        Instant now = clock.instant();
        Optional<String> planned = submissions.plannedRecordIn(span.organizationId(), span.appId(), foldFrom, foldTo);
        if (planned.isPresent() && submissions.lockIfPlanned(planned.get(), now)) {
            return fold(span, planned.get(), mode);
        }
        int covered = mode == AppMode.HIGH_WATER_MARK ? coverByPeriodPeak(span) : 0;
        Instant window = span.firstBucket();
        int revision = submissions.nextRevision(span.organizationId(), span.appId(), window);
        String id = SubmissionIds.of(span.organizationId(), span.appId(), window, revision);
        if (events.assign(span, id) == 0) {
            return covered > 0 ? Outcome.COVERED : Outcome.NOTHING;
        }
        Aggregate aggregate = events.aggregate(id);
        Submission s = new Submission();
        s.id = id;
        s.organizationId = span.organizationId();
        s.appId = span.appId();
        s.bucketStart = window;
        s.revision = revision;
        s.mode = mode;
        s.quantity = quantityOf(aggregate, mode);
        s.eventCount = (int) aggregate.count();
        s.firstReceivedAt = aggregate.oldestReceivedAt();
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now;
        s.createdAt = now;
        s.updatedAt = now;
        submissions.persist(s);
        return Outcome.NEW_RECORD;
    }

    /** Folds the span's unassigned events into a planned record, which the caller holds locked. */
    private Outcome fold(Span span, String id, AppMode mode) {
        if (events.assign(span, id) == 0) {
            return Outcome.NOTHING;
        }
        Aggregate aggregate = events.aggregate(id);
        submissions.refigure(id, quantityOf(aggregate, mode), aggregate.count(), aggregate.oldestReceivedAt());
        LOG.debugf("Events for %s/%s from %s folded into planned record %s", span.appId(), span.organizationId(),
                span.firstBucket(), id);
        return Outcome.FOLDED;
    }

    /** Hands the events a period peak covers to the record holding it; returns how many. */
    private int coverByPeriodPeak(Span span) {
        BillingMonth month = BillingMonth.of(span.firstBucket());
        Optional<SubmissionRepository.Peak> peak = submissions.periodPeak(span.organizationId(), span.appId(),
                month.start(), month.end());
        if (peak.isEmpty()) {
            return 0;
        }
        int covered = events.assignCovered(span, peak.get().quantity(), peak.get().id());
        if (covered > 0) {
            submissions.addEvents(peak.get().id(), covered);
            LOG.debugf("%d events for %s/%s from %s are covered by peak %s of %s", covered, span.appId(),
                    span.organizationId(), span.firstBucket(), peak.get().quantity(), peak.get().id());
        }
        return covered;
    }

    private static java.math.BigDecimal quantityOf(Aggregate aggregate, AppMode mode) {
        return mode == AppMode.SUM ? aggregate.sum() : aggregate.max();
    }
}
