package io.vendorusage.agent.submission;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vendorusage.agent.observability.JobWatch;
import io.vendorusage.agent.upstream.GenesysAccess;
import io.vendorusage.agent.upstream.RateLimiter;

/**
 * One submitter pass: settle records abandoned mid-POST, plan due windows into records ({@link PlanningPass}),
 * and send due records ({@link SendingPass}). Passes never overlap within a process; across processes, claims
 * are guarded updates, so no record is sent by two agents.
 */
@ApplicationScoped
public class SubmitterService {

    private static final Logger LOG = Logger.getLogger(SubmitterService.class);

    private final PlanningPass planning;
    private final SendingPass sending;
    private final LedgerService ledger;
    private final GenesysAccess endpoints;
    private final RateLimiter limiter;
    private final JobWatch watch;
    private final ReentrantLock passLock = new ReentrantLock();

    /**
     * What one pass did.
     *
     * @param stopReason why sending stopped, by name ({@code nothing-due}, {@code rate-limited}, ...)
     * @param stoppedBecause the same for a human, with its detail (until when calls are held)
     */
    public record PassReport(int abandonedSettled, int recordsPlanned, int attempted, int confirmed,
            StopReason stopReason, String stoppedBecause) {

        static PassReport of(int abandonedSettled, int recordsPlanned, int attempted, int confirmed, StopReason stop,
                String detail) {
            return new PassReport(abandonedSettled, recordsPlanned, attempted, confirmed, stop, stop.describe(detail));
        }
    }

    public SubmitterService(PlanningPass planning, SendingPass sending, LedgerService ledger,
            GenesysAccess endpoints, RateLimiter limiter, JobWatch watch) {
        this.planning = planning;
        this.sending = sending;
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.limiter = limiter;
        this.watch = watch;
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

    /** Plans every due window (all pending ones with {@code flush}); for tests and the planning benchmark. */
    public int planDue(boolean flush) {
        return planning.planDue(flush);
    }

    private PassReport pass(boolean flush) {
        try (JobWatch.Run run = watch.start("submitter")) {
            try {
                limiter.refresh();
            } catch (RuntimeException e) {
                LOG.debugf("Could not read the stored upstream block: %s", e.toString());
            }
            int settled = ledger.recoverAbandoned();
            int planned = planning.planDue(flush);
            if (endpoints.credentials().isEmpty()) {
                return PassReport.of(settled, planned, 0, 0, StopReason.NO_CREDENTIALS, null);
            }
            SendingPass.Sent sent = sending.sendDue();
            return PassReport.of(settled, planned, sent.attempted(), sent.confirmed(), sent.stop(), sent.detail());
        }
    }
}
