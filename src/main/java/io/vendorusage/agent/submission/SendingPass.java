package io.vendorusage.agent.submission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.upstream.GuardedCallsBreaker;
import io.vendorusage.agent.upstream.GenesysClient;
import io.vendorusage.agent.upstream.RateLimiter;
import io.vendorusage.agent.upstream.CallOutcome;
import io.vendorusage.agent.upstream.UpstreamException;
import io.vendorusage.agent.upstream.UsageReceipt;

/**
 * The sending half of a submitter pass: due records, claimed one by one, sent with bounded concurrency under the
 * shared rate limit until nothing is due, the upstream holds calls, the breaker opens or the pass time is used up.
 * A claim is a guarded update, so no record is sent by two senders or two agents.
 */
@ApplicationScoped
public class SendingPass {

    private static final Logger LOG = Logger.getLogger(SendingPass.class);

    private final SubmissionRepository submissions;
    private final LedgerService ledger;
    private final GenesysClient client;
    private final RateLimiter limiter;
    private final CircuitBreakerMaintenance breakers;
    private final AgentConfig config;
    private final Clock clock;
    private final ExecutorService senders;
    private final String owner = "agent-" + UUID.randomUUID().toString().substring(0, 8);

    /** What became of one due record. */
    enum SendOutcome {
        /** Sent and confirmed by the upstream. */
        CONFIRMED,
        /** Sent or tried, and not confirmed: retried later, held as uncertain, or failed. */
        NOT_CONFIRMED,
        /** Another sender holds it: not this pass's to send. */
        NOT_CLAIMED
    }

    /** What the sending half did: records attempted and confirmed, and why it stopped (with a detail, if any). */
    record Sent(int attempted, int confirmed, StopReason stop, String detail) {

        Sent(int attempted, int confirmed, StopReason stop) {
            this(attempted, confirmed, stop, null);
        }
    }

    /** Why sending stops now, with a detail (until when calls are held). */
    private record Stop(StopReason reason, String detail) {
    }

    public SendingPass(SubmissionRepository submissions, LedgerService ledger, GenesysClient client,
            RateLimiter limiter, CircuitBreakerMaintenance breakers, AgentConfig config, Clock clock) {
        this.submissions = submissions;
        this.ledger = ledger;
        this.client = client;
        this.limiter = limiter;
        this.breakers = breakers;
        this.config = config;
        this.clock = clock;
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

    Sent sendDue() {
        Instant deadline = clock.instant().plus(maxPassTime());
        int attempted = 0;
        int confirmed = 0;
        while (true) {
            Stop stop = reasonToStop(deadline);
            if (stop != null) {
                return new Sent(attempted, confirmed, stop.reason(), stop.detail());
            }
            List<String> due = submissions.dueIds(clock.instant(), config.submission().batchSize());
            if (due.isEmpty()) {
                return new Sent(attempted, confirmed, StopReason.NOTHING_DUE);
            }
            List<Future<SendOutcome>> results = new ArrayList<>(due.size());
            for (String id : due) {
                results.add(senders.submit(() -> sendOne(id)));
            }
            int progress = 0;
            for (Future<SendOutcome> f : results) {
                try {
                    SendOutcome outcome = f.get();
                    if (outcome != SendOutcome.NOT_CLAIMED) {
                        progress++;
                        confirmed += outcome == SendOutcome.CONFIRMED ? 1 : 0;
                    }
                } catch (ExecutionException e) {
                    LOG.warnf("Sending failed unexpectedly: %s", e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Sent(attempted + progress, confirmed, StopReason.INTERRUPTED);
                }
            }
            attempted += progress;
            if (progress == 0) {
                return new Sent(attempted, confirmed, StopReason.NO_RECORD_CLAIMED);
            }
        }
    }

    /** @return why sending stops now, or null to go on */
    private Stop reasonToStop(Instant deadline) {
        if (limiter.blockedUntil().isPresent()) {
            return new Stop(StopReason.RATE_LIMITED, "until " + limiter.blockedUntil().get());
        }
        if (breakers.currentState(GuardedCallsBreaker.NAME) == CircuitBreakerState.OPEN) {
            return new Stop(StopReason.CIRCUIT_OPEN, null);
        }
        if (clock.instant().isAfter(deadline)) {
            return new Stop(StopReason.TIME_USED_UP, null);
        }
        return null;
    }

    private SendOutcome sendOne(String id) {
        Claimed claimed = ledger.claim(id, owner).orElse(null);
        if (claimed == null) {
            return SendOutcome.NOT_CLAIMED;
        }
        try {
            UsageReceipt receipt = client.submit(claimed.record(), config.submission().interval());
            ledger.confirmed(id, receipt);
            return SendOutcome.CONFIRMED;
        } catch (UpstreamException.Retryable e) {
            ledger.retryLater(id, e);
        } catch (UpstreamException.Ambiguous e) {
            ledger.outcomeUnknown(id, e);
        } catch (UpstreamException.Permanent e) {
            ledger.rejected(id, e);
        } catch (RuntimeException e) {
            // the POST may or may not have gone out: treat it as unknown, never as "not sent"
            LOG.errorf(e, "Unexpected error while sending %s", id);
            ledger.outcomeUnknown(id, new UpstreamException.Ambiguous(CallOutcome.AGENT_ERROR, null, null,
                    "unexpected error while sending: " + e.getClass().getSimpleName(), null, e));
        }
        return SendOutcome.NOT_CONFIRMED;
    }

    private Duration maxPassTime() {
        Duration interval = config.submission().interval();
        return interval.compareTo(Duration.ofMinutes(1)) > 0 ? interval : Duration.ofMinutes(1);
    }
}
