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
import io.vendorusage.agent.outbox.OutboxStatus;

/**
 * Aggregates pending events into usage records, in the database: one transaction per (organization,
 * app, window) claims the group's unplanned events for a new record and sums (or maximises) exactly the
 * rows it claimed. Late events for a window that already has records become a new revision: the delta
 * for sum apps, a new peak for high-water-mark apps only if it is higher.
 */
@ApplicationScoped
public class SubmissionPlanner {

    private static final Logger LOG = Logger.getLogger(SubmissionPlanner.class);
    static final int GROUPS_PER_PASS = 1000;

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
        Instant cutoff = flush ? Instant.parse("9999-12-31T00:00:00Z")
                : clock.instant().minus(config.submission().bucket()).minus(config.submission().grace());
        return events.unplannedGroups(cutoff, GROUPS_PER_PASS);
    }

    /** Billing mode of an app; an app without configuration is treated as sum, which is never resent blindly. */
    public AppMode modeOf(String appId) {
        AgentConfig.App app = config.apps().get(appId);
        return app == null ? AppMode.SUM : app.mode();
    }

    /**
     * Plans one group.
     *
     * @return the new record's id, or empty when there was nothing to send (no unplanned events left, or
     *         a high-water-mark peak already covers them)
     */
    @Transactional
    public Optional<String> plan(GroupKey group) {
        int revision = submissions.nextRevision(group.organizationId(), group.appId(), group.bucketStart());
        String id = SubmissionIds.of(group.organizationId(), group.appId(), group.bucketStart(), revision);
        if (events.claimForRecord(group, id) == 0) {
            return Optional.empty();
        }
        Aggregate aggregate = events.aggregate(id);
        AppMode mode = modeOf(group.appId());
        Instant now = clock.instant();
        if (mode == AppMode.HIGH_WATER_MARK) {
            Optional<Submission> peak = submissions.currentPeak(group.organizationId(), group.appId(),
                    group.bucketStart());
            if (peak.isPresent() && aggregate.max().compareTo(peak.get().quantity) <= 0) {
                Submission covering = peak.get();
                events.reassign(id, covering.id);
                if (covering.state == SubmissionState.CONFIRMED) {
                    events.setStatusByRecord(covering.id, OutboxStatus.SUBMITTED, now);
                }
                LOG.debugf("%d events for %s/%s at %s are covered by peak %s of %s", aggregate.count(),
                        group.appId(), group.organizationId(), group.bucketStart(), covering.quantity, covering.id);
                return Optional.empty();
            }
        }
        Submission s = new Submission();
        s.id = id;
        s.organizationId = group.organizationId();
        s.appId = group.appId();
        s.bucketStart = group.bucketStart();
        s.revision = revision;
        s.mode = mode;
        s.quantity = mode == AppMode.SUM ? aggregate.sum() : aggregate.max();
        s.eventCount = (int) aggregate.count();
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now;
        s.createdAt = now;
        s.updatedAt = now;
        submissions.persist(s);
        return Optional.of(id);
    }
}
