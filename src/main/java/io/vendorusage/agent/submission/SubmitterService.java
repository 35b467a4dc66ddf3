package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.ops.JobWatch;
import io.vendorusage.agent.outbox.OutboxEventRepository.GroupKey;
import io.vendorusage.agent.upstream.GenesysCallsBreaker;
import io.vendorusage.agent.upstream.GenesysClient;
import io.vendorusage.agent.upstream.GenesysEndpoints;
import io.vendorusage.agent.upstream.RateLimiter;
import io.vendorusage.agent.upstream.UpstreamException;
import io.vendorusage.agent.upstream.UsageReceipt;

/**
 * One submitter pass: settle records abandoned mid-POST, plan due windows into records, and send due
 * records with bounded concurrency under the shared rate limit. Passes never overlap within a process;
 * across processes, claims are guarded updates, so no record is sent by two agents.
 */
@ApplicationScoped
public class SubmitterService {

    private static final Logger LOG = Logger.getLogger(SubmitterService.class);

    private final SubmissionPlanner planner;
    private final SubmissionRepository submissions;
    private final LedgerService ledger;
    private final GenesysClient client;
    private final GenesysEndpoints endpoints;
    private final RateLimiter limiter;
    private final CircuitBreakerMaintenance breakers;
    private final AgentConfig config;
    private final Clock clock;
    private final JobWatch watch;
    private final ReentrantLock passLock = new ReentrantLock();
    private final ExecutorService senders;
    private final String owner = "agent-" + UUID.randomUUID().toString().substring(0, 8);

    /** What one pass did. */
    public record PassReport(int abandonedSettled, int recordsPlanned, int attempted, int confirmed,
            String stoppedBecause) {
    }

    public SubmitterService(SubmissionPlanner planner, SubmissionRepository submissions, LedgerService ledger,
            GenesysClient client, GenesysEndpoints endpoints, RateLimiter limiter, CircuitBreakerMaintenance breakers,
            AgentConfig config, Clock clock, JobWatch watch) {
        this.planner = planner;
        this.submissions = submissions;
        this.ledger = ledger;
        this.client = client;
        this.endpoints = endpoints;
        this.limiter = limiter;
        this.breakers = breakers;
        this.config = config;
        this.clock = clock;
        this.watch = watch;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(config.submission().concurrency(), r -> {
            Thread t = new Thread(r, "usage-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        senders.shutdown();
    }

    /** Runs a pass unless one is already running; returns null when skipped. */
    public PassReport runScheduledPass() {
        if (!passLock.tryLock()) {
            return null;
        }
        try {
            return pass(false);
        } finally {
            passLock.unlock();
        }
    }

    /** Plans everything pending now, open windows included, and sends what is due; waits for a running pass. */
    public PassReport flush() throws InterruptedException {
        if (!passLock.tryLock(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a submitter pass is still running after 5 minutes");
        }
        try {
            return pass(true);
        } finally {
            passLock.unlock();
        }
    }

    private PassReport pass(boolean flush) {
        try (JobWatch.Run run = watch.start("submitter")) {
            try {
                limiter.refresh();
            } catch (RuntimeException e) {
                LOG.debugf("Could not read the stored upstream block: %s", e.toString());
            }
            int settled = ledger.recoverAbandoned();
            int planned = planDue(flush);
            if (endpoints.credentials().isEmpty()) {
                return new PassReport(settled, planned, 0, 0, "no upstream credentials configured");
            }
            return send(settled, planned);
        }
    }

    /**
     * Plans every due window into records (all pending windows with {@code flush}), in passes of
     * {@link SubmissionPlanner#GROUPS_PER_PASS} groups; part of every pass, public for the planning benchmark.
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
                List<SubmissionPlanner.Outcome> outcomes;
                try {
                    outcomes = planner.planAll(chunk, merge, flush);
                } catch (RuntimeException e) {
                    // another agent planned one of these windows at the same moment: one transaction each
                    LOG.debugf("Planning %d windows together failed, planning them one by one: %s", chunk.size(),
                            e.toString());
                    outcomes = chunk.stream().map(g -> planAlone(g, merge, flush)).toList();
                }
                for (SubmissionPlanner.Outcome outcome : outcomes) {
                    planned += outcome == SubmissionPlanner.Outcome.NEW_RECORD ? 1 : 0;
                    progress += outcome == SubmissionPlanner.Outcome.NOTHING ? 0 : 1;
                }
            }
            if (groups.size() < SubmissionPlanner.GROUPS_PER_PASS || progress == 0) {
                return planned;
            }
        }
    }

    private SubmissionPlanner.Outcome planAlone(GroupKey group, boolean merge, boolean flush) {
        try {
            return planner.planAll(List.of(group), merge, flush).get(0);
        } catch (RuntimeException e) {
            // another agent planned the same window at the same moment; its record stands
            LOG.debugf("Planning %s lost a race or failed: %s", group, e.toString());
            return SubmissionPlanner.Outcome.NOTHING;
        }
    }

    private PassReport send(int settled, int planned) {
        Instant deadline = clock.instant().plus(maxPassTime());
        int attempted = 0;
        int confirmed = 0;
        String stopped = "nothing due";
        while (true) {
            if (limiter.blockedUntil().isPresent()) {
                stopped = "upstream calls held until " + limiter.blockedUntil().get();
                break;
            }
            if (breakers.currentState(GenesysCallsBreaker.NAME) == CircuitBreakerState.OPEN) {
                stopped = "circuit breaker open";
                break;
            }
            if (clock.instant().isAfter(deadline)) {
                stopped = "pass time used up";
                break;
            }
            List<String> due = submissions.dueIds(clock.instant(), config.submission().batchSize());
            if (due.isEmpty()) {
                break;
            }
            List<Future<Boolean>> results = new ArrayList<>(due.size());
            for (String id : due) {
                results.add(senders.submit(() -> sendOne(id)));
            }
            int progress = 0;
            for (Future<Boolean> f : results) {
                try {
                    Boolean ok = f.get();
                    if (ok != null) {
                        progress++;
                        confirmed += ok ? 1 : 0;
                    }
                } catch (ExecutionException e) {
                    LOG.warnf("Sending failed unexpectedly: %s", e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new PassReport(settled, planned, attempted + progress, confirmed, "interrupted");
                }
            }
            attempted += progress;
            if (progress == 0) {
                stopped = "no record could be claimed";
                break;
            }
        }
        return new PassReport(settled, planned, attempted, confirmed, stopped);
    }

    /** @return true confirmed, false not confirmed, null not claimed (another sender has it) */
    private Boolean sendOne(String id) {
        Claimed claimed = ledger.claim(id, owner).orElse(null);
        if (claimed == null) {
            return null;
        }
        try {
            UsageReceipt receipt = client.submit(claimed.record(), config.submission().interval());
            ledger.confirmed(id, receipt);
            return true;
        } catch (UpstreamException.Retryable e) {
            ledger.retryLater(id, e);
        } catch (UpstreamException.Ambiguous e) {
            ledger.outcomeUnknown(id, e);
        } catch (UpstreamException.Permanent e) {
            ledger.rejected(id, e);
        } catch (RuntimeException e) {
            // the POST may or may not have gone out: treat it as unknown, never as "not sent"
            LOG.errorf(e, "Unexpected error while sending %s", id);
            ledger.outcomeUnknown(id, new UpstreamException.Ambiguous("agent-error", null, null,
                    "unexpected error while sending: " + e.getClass().getSimpleName(), null, e));
        }
        return false;
    }

    private Duration maxPassTime() {
        Duration interval = config.submission().interval();
        return interval.compareTo(Duration.ofMinutes(1)) > 0 ? interval : Duration.ofMinutes(1);
    }
}
