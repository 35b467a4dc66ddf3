package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.config.Backoff;
import io.vendorusage.agent.notify.NotificationType;
import io.vendorusage.agent.notify.Notifications;
import io.vendorusage.agent.submission.period.BillingPeriods;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.upstream.CallOutcome;
import io.vendorusage.agent.upstream.UpstreamException;
import io.vendorusage.agent.upstream.UsageReceipt;
import io.vendorusage.agent.upstream.UsageRecord;

/**
 * The ledger's state machine (see {@link SubmissionState}). Each transition is one transaction on the record's
 * row alone, whatever the number of events it carries (their status follows from its state), and is logged once
 * with the record's identity.
 */
@ApplicationScoped
public class LedgerService {

    private static final Logger LOG = Logger.getLogger(LedgerService.class);

    private final SubmissionRepository submissions;
    private final AgentConfig config;
    private final Clock clock;
    private final SubmissionMetrics metrics;
    private final BillingPeriods periods;
    private final BillingDelay delays;
    private final Notifications notifications;

    public LedgerService(SubmissionRepository submissions, AgentConfig config, Clock clock,
            SubmissionMetrics metrics, BillingPeriods periods, BillingDelay delays, Notifications notifications) {
        this.delays = delays;
        this.notifications = notifications;
        this.submissions = submissions;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.periods = periods;
    }

    /**
     * Takes the sending lease of a due record. A record whose org's billing period closed more than
     * {@code agent.submission.closed-period-grace} ago is failed instead, with that reason; never on a period the
     * upstream has not confirmed (the usage may still be billable: sending it is the choice that loses nothing).
     */
    @Transactional
    public Optional<Claimed> claim(String id, String owner) {
        Instant now = clock.instant();
        if (!submissions.claim(id, owner, now, now.plus(config.submission().lease()))) {
            return Optional.empty();
        }
        Submission s = submissions.findById(id);
        OrgPeriod period = periods.calendar(s.organizationId).periodOf(s.bucketStart);
        if (now.isAfter(period.end().plus(config.submission().closedPeriodGrace()))) {
            if (period.known()) {
                fail(s, now, LedgerOutcome.BILLING_PERIOD_CLOSED.wire(), null, null, "the org's billing period " + period.start()
                        + " .. " + period.end() + " holding " + s.bucketStart
                        + " has closed; the record can no longer be sent", null);
                return Optional.empty();
            }
            periods.assumed(BillingPeriods.AssumedDecision.NOT_CLOSED);
        }
        return Optional.of(new Claimed(new UsageRecord(s.id, s.organizationId, s.appId, s.quantity, s.bucketStart),
                s.mode, s.attempts));
    }

    @Transactional
    public void confirmed(String id, UsageReceipt receipt) {
        Instant now = clock.instant();
        Submission s = submissions.findById(id);
        s.state = SubmissionState.CONFIRMED;
        s.confirmedAt = now;
        record(s, now, LedgerOutcome.CONFIRMED.wire(), receipt.httpStatus(), null, null, receipt.correlationId());
        s.confirmation = receipt.confirmation();
        s.upstreamId = receipt.upstreamId();
        metrics.outcome(s.appId, SubmissionMetrics.Outcome.CONFIRMED);
        delays.confirmed(s, now);
        log(s, "confirmed");
    }

    /** The upstream said (or the agent knows) the POST was not processed: try again later. */
    @Transactional
    public void retryLater(String id, UpstreamException.Retryable e) {
        Submission s = submissions.findById(id);
        Instant now = clock.instant();
        if (!e.reachedUpstream()) {
            // held back locally (rate limit, open circuit, no token) or refused at connect: not an attempt
            s.attempts = Math.max(0, s.attempts - 1);
        }
        Duration wait = Backoff.delay(s.attempts, config.submission().retryBase(), config.submission().retryMaxDelay());
        if (e.retryAfter().isPresent() && e.retryAfter().get().compareTo(wait) > 0) {
            wait = e.retryAfter().get();
        }
        reschedule(s, now, wait, e);
    }

    /**
     * The POST may have been processed. A high-water-mark record is sent again (a repeat of a peak is
     * harmless); a sum record is held as UNCERTAIN for reconciliation or an operator.
     */
    @Transactional
    public void outcomeUnknown(String id, UpstreamException e) {
        Submission s = submissions.findById(id);
        Instant now = clock.instant();
        if (s.mode == AppMode.HIGH_WATER_MARK) {
            reschedule(s, now, Backoff.delay(s.attempts, config.submission().retryBase(),
                    config.submission().retryMaxDelay()), e);
            return;
        }
        s.state = SubmissionState.UNCERTAIN;
        record(s, now, e.outcome().wire(), e.httpStatus(), e.errorCode(), e.getMessage(), e.correlationId());
        metrics.outcome(s.appId, SubmissionMetrics.Outcome.UNCERTAIN);
        notifications.publish(NotificationType.RECORD_UNCERTAIN, s.organizationId, SubmissionView.of(s));
        log(s, "held as uncertain (" + e.outcome() + ")");
    }

    @Transactional
    public void rejected(String id, UpstreamException.Permanent e) {
        Submission s = submissions.findById(id);
        fail(s, clock.instant(), e.outcome().wire(), e.httpStatus(), e.errorCode(), e.getMessage(), e.correlationId());
    }

    /**
     * Records left SENDING past their lease belong to a sender that stopped mid-POST (crash, kill -9):
     * their outcome is unknown.
     *
     * @return how many were found
     */
    @Transactional
    public int recoverAbandoned() {
        List<String> ids = submissions.expiredLeases(clock.instant());
        for (String id : ids) {
            abandon(id);
        }
        return ids.size();
    }

    private void abandon(String id) {
        Submission s = submissions.findById(id);
        if (s != null && s.state == SubmissionState.SENDING && s.leaseUntil.isBefore(clock.instant())) {
            outcomeUnknown(id, new UpstreamException.Ambiguous(CallOutcome.INTERRUPTED, null, null,
                    "the sender stopped while the POST was in flight (lease of " + s.leaseOwner + " expired)",
                    null, null));
        }
    }

    /**
     * An operator's decision to send a held or failed record again (now).
     *
     * @throws RecordNotFound when no record has this id
     * @throws RecordNotRetryable when the record is neither failed nor uncertain
     */
    @Transactional
    public Submission operatorRetry(String id) {
        Submission s = submissions.findByIdOptional(id).orElseThrow(() -> new RecordNotFound(id));
        if (s.state != SubmissionState.FAILED && s.state != SubmissionState.UNCERTAIN) {
            throw new RecordNotRetryable(id, s.state);
        }
        Instant now = clock.instant();
        SubmissionState from = s.state;
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now;
        s.attempts = 0;
        s.updatedAt = now;
        s.lastOutcome = LedgerOutcome.OPERATOR_RETRY.wire();
        log(s, "released by an operator from " + from);
        return s;
    }

    /**
     * Reconciliation found the upstream billed this uncertain record: it is confirmed.
     *
     * @return false when the record is no longer uncertain (an operator acted first)
     */
    @Transactional
    public boolean settleAsBilled(String id, String note) {
        Submission s = submissions.findById(id);
        if (s == null || s.state != SubmissionState.UNCERTAIN) {
            return false;
        }
        Instant now = clock.instant();
        s.state = SubmissionState.CONFIRMED;
        s.confirmedAt = now;
        record(s, now, LedgerOutcome.SETTLED_BILLED.wire(), s.lastHttpStatus, null, note, s.lastCorrelationId);
        delays.confirmed(s, now);
        notifications.publish(NotificationType.RECORD_SETTLED, s.organizationId, SubmissionView.of(s));
        log(s, "settled by reconciliation as billed");
        return true;
    }

    /**
     * Reconciliation found the upstream never billed this uncertain record: it is sent again.
     *
     * @return false when the record is no longer uncertain
     */
    @Transactional
    public boolean settleForResend(String id, String note) {
        Submission s = submissions.findById(id);
        if (s == null || s.state != SubmissionState.UNCERTAIN) {
            return false;
        }
        Instant now = clock.instant();
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now;
        s.attempts = 0;
        record(s, now, LedgerOutcome.SETTLED_NOT_BILLED.wire(), null, null, note, null);
        notifications.publish(NotificationType.RECORD_SETTLED, s.organizationId, SubmissionView.of(s));
        log(s, "settled by reconciliation as not billed: resend");
        return true;
    }

    private void reschedule(Submission s, Instant now, Duration wait, UpstreamException e) {
        if (s.attempts >= config.submission().maxAttempts()) {
            fail(s, now, LedgerOutcome.GAVE_UP.wire(), e.httpStatus(), e.errorCode(),
                    "no success after " + s.attempts + " attempts; last: " + e.getMessage(), e.correlationId());
            return;
        }
        s.state = SubmissionState.PLANNED;
        s.nextAttemptAt = now.plus(wait);
        record(s, now, e.outcome().wire(), e.httpStatus(), e.errorCode(), e.getMessage(), e.correlationId());
        metrics.outcome(s.appId, SubmissionMetrics.Outcome.RETRY);
        log(s, "retry at " + s.nextAttemptAt + " (" + e.outcome() + ")");
    }

    private void fail(Submission s, Instant now, String outcome, Integer status, String code, String message,
            String correlationId) {
        s.state = SubmissionState.FAILED;
        record(s, now, outcome, status, code, message, correlationId);
        metrics.outcome(s.appId, SubmissionMetrics.Outcome.FAILED);
        notifications.publish(NotificationType.RECORD_FAILED, s.organizationId, SubmissionView.of(s));
        log(s, "failed (" + outcome + ")");
    }

    private static void record(Submission s, Instant now, String outcome, Integer status, String code,
            String message, String correlationId) {
        s.updatedAt = now;
        s.leaseOwner = null;
        s.leaseUntil = null;
        s.lastOutcome = outcome;
        s.lastHttpStatus = status;
        s.lastErrorCode = code;
        s.lastErrorMessage = message == null || message.length() <= 1000 ? message : message.substring(0, 1000);
        s.lastCorrelationId = correlationId;
    }

    private static void log(Submission s, String decision) {
        LOG.infof("Submission %s %s: org=%s app=%s bucket=%s revision=%d quantity=%s attempts=%d correlationId=%s",
                s.id, decision, s.organizationId, s.appId, s.bucketStart, s.revision, s.quantity.toPlainString(),
                s.attempts, s.lastCorrelationId);
    }
}
