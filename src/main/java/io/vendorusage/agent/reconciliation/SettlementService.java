package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.vendorusage.agent.submission.LedgerService;

/**
 * Settles the uncertain sum records of one (org, app, period) against the upstream's figure, all in one
 * transaction with an audit row per record: upstream = confirmed + uncertain means they were billed;
 * upstream = confirmed means they were not, so they are sent again; anything else holds them.
 */
@ApplicationScoped
public class SettlementService {

    private final LedgerService ledger;
    private final EntityManager em;
    private final ReconciliationMetrics metrics;
    private final Clock clock;

    public SettlementService(LedgerService ledger, EntityManager em, ReconciliationMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.em = em;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Most uncertain records of one org and app that are matched against the upstream figure at once. */
    static final int MAX_MATCHED = 20;

    /**
     * Settles one (org, app, period). The upstream's figure minus the confirmed figure is what the
     * uncertain records added upstream; if exactly one subset of them adds up to it, that subset was
     * billed (confirmed) and the rest was not (sent again). No subset, or more than one, holds them all.
     *
     * @return what was decided, for the report line
     */
    @Transactional
    public SettlementOutcome settle(String runId, List<FiguresQuery.Uncertain> uncertain, BigDecimal upstream, Figures f) {
        BigDecimal target = upstream.subtract(f.confirmed());
        long billedMask = uncertain.size() > MAX_MATCHED ? -1 : SettlementMatching.uniqueSubset(uncertain, target);
        String basis = "upstream " + plain(upstream) + ", confirmed " + plain(f.confirmed()) + ", uncertain "
                + plain(f.uncertain());
        if (billedMask < 0) {
            String note = basis + ": " + (uncertain.size() > MAX_MATCHED ? "too many uncertain records to match"
                    : "no single set of uncertain records explains the difference " + plain(target));
            for (FiguresQuery.Uncertain u : uncertain) {
                if (!alreadyHeldAt(u.id(), upstream)) {
                    audit(runId, u.id(), SettlementDecision.HELD, upstream, f, note);
                    metrics.settled(SettlementDecision.HELD);
                }
            }
            return SettlementOutcome.heldAll();
        }
        int billed = 0;
        for (int i = 0; i < uncertain.size(); i++) {
            FiguresQuery.Uncertain u = uncertain.get(i);
            boolean wasBilled = (billedMask & (1L << i)) != 0;
            SettlementDecision decision = wasBilled ? SettlementDecision.CONFIRMED : SettlementDecision.RESENT;
            String note = basis + ": " + (wasBilled ? "this record was billed" : "this record was not billed");
            boolean applied = wasBilled ? ledger.settleAsBilled(u.id(), note) : ledger.settleForResend(u.id(), note);
            if (applied) {
                audit(runId, u.id(), decision, upstream, f, note);
                metrics.settled(decision);
                billed += wasBilled ? 1 : 0;
            }
        }
        return SettlementOutcome.settled(billed, uncertain.size() - billed);
    }

    private void audit(String runId, String submissionId, SettlementDecision decision, BigDecimal upstream, Figures f,
            String note) {
        Settlement s = new Settlement();
        s.submissionId = submissionId;
        s.runId = runId;
        s.decidedAt = clock.instant();
        s.decision = decision;
        s.upstreamQuantity = upstream;
        s.confirmedQuantity = f.confirmed();
        s.uncertainQuantity = f.uncertain();
        s.note = note.length() <= 500 ? note : note.substring(0, 500);
        em.persist(s);
    }

    /** A record held again on the same figures gets no new audit row each run. */
    private boolean alreadyHeldAt(String id, BigDecimal upstream) {
        return em.createQuery("from Settlement s where s.submissionId = :id order by s.decidedAt desc, s.id desc",
                Settlement.class).setParameter("id", id).setMaxResults(1).getResultStream()
                .anyMatch(last -> last.decision == SettlementDecision.HELD && last.upstreamQuantity != null
                        && last.upstreamQuantity.compareTo(upstream) == 0);
    }

    private static String plain(BigDecimal q) {
        return q.stripTrailingZeros().toPlainString();
    }
}
