package io.vendorusage.agent.submission;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.submission.period.BillingPeriods;

/**
 * The planning half of a submitter pass: every due window becomes (part of) a record, in transactions of
 * {@link SubmissionPlanner#GROUPS_PER_TRANSACTION} windows. When the upstream budget cannot send one record per
 * window in time, due windows of one (org, app, billing period) are merged into one record. Before a chunk is
 * planned, the billing period of each of its orgs is made known ({@link BillingPeriods#prepare}); an org whose
 * period another agent is fetching at that moment waits for the next pass.
 */
@ApplicationScoped
public class PlanningPass {

    private static final Logger LOG = Logger.getLogger(PlanningPass.class);

    private final SubmissionPlanner planner;
    private final BillingPeriods periods;

    public PlanningPass(SubmissionPlanner planner, BillingPeriods periods) {
        this.planner = planner;
        this.periods = periods;
    }

    /**
     * Plans every due window into records (all pending windows with {@code flush}), in passes of
     * {@link SubmissionPlanner#GROUPS_PER_PASS} groups; public for the planning benchmark.
     *
     * @return how many records were planned
     */
    public int planDue(boolean flush) {
        Optional<String> shortage = planner.budgetShortage(flush);
        shortage.ifPresent(why -> LOG.infof("Upstream budget short (%s): due windows of one organization, app and"
                + " billing period go up as one record", why));
        boolean merge = shortage.isPresent();
        int planned = 0;
        while (true) {
            List<GroupKey> groups = planner.dueGroups(flush);
            int progress = 0;
            for (int from = 0; from < groups.size(); from += SubmissionPlanner.GROUPS_PER_TRANSACTION) {
                List<GroupKey> chunk = groups.subList(from, Math.min(groups.size(),
                        from + SubmissionPlanner.GROUPS_PER_TRANSACTION));
                for (SubmissionPlanner.Outcome outcome : planChunk(chunk, merge, flush)) {
                    planned += outcome == SubmissionPlanner.Outcome.NEW_RECORD ? 1 : 0;
                    progress += outcome == SubmissionPlanner.Outcome.NOTHING ? 0 : 1;
                }
            }
            if (groups.size() < SubmissionPlanner.GROUPS_PER_PASS || progress == 0) {
                return planned;
            }
        }
    }

    private List<SubmissionPlanner.Outcome> planChunk(List<GroupKey> all, boolean merge, boolean flush) {
        BillingPeriods.Book book = periods.prepare(all.stream().map(GroupKey::organizationId).distinct().toList());
        List<GroupKey> chunk = all.stream().filter(g -> !book.waiting().contains(g.organizationId())).toList();
        if (chunk.isEmpty()) {
            return List.of();
        }
        try {
            return planner.planAll(chunk, merge, flush, book);
        } catch (RuntimeException e) {
            // another agent planned one of these windows at the same moment: one transaction each
            LOG.debugf("Planning %d windows together failed, planning them one by one: %s", chunk.size(),
                    e.toString());
            return chunk.stream().map(g -> planAlone(g, merge, flush, book)).toList();
        }
    }

    private SubmissionPlanner.Outcome planAlone(GroupKey group, boolean merge, boolean flush,
            BillingPeriods.Book book) {
        try {
            return planner.planAll(List.of(group), merge, flush, book).get(0);
        } catch (RuntimeException e) {
            // another agent planned the same window at the same moment; its record stands
            LOG.debugf("Planning %s lost a race or failed: %s", group, e.toString());
            return SubmissionPlanner.Outcome.NOTHING;
        }
    }
}
