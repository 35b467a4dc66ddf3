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

    /** @return the decision taken: {@code confirmed}, {@code resent} or {@code held} */
    @Transactional
    public String settle(String runId, List<String> uncertainIds, BigDecimal upstream, Figures f) {
        String decision;
        String note;
        if (upstream.compareTo(f.confirmed().add(f.uncertain())) == 0) {
            decision = "confirmed";
            note = "upstream " + plain(upstream) + " = confirmed " + plain(f.confirmed()) + " + uncertain "
                    + plain(f.uncertain());
        } else if (upstream.compareTo(f.confirmed()) == 0) {
            decision = "resent";
            note = "upstream " + plain(upstream) + " = confirmed " + plain(f.confirmed())
                    + ": the uncertain records were not billed";
        } else {
            decision = "held";
            note = "upstream " + plain(upstream) + " matches neither confirmed " + plain(f.confirmed())
                    + " nor confirmed + uncertain " + plain(f.confirmed().add(f.uncertain()));
        }
        for (String id : uncertainIds) {
            boolean applied = switch (decision) {
                case "confirmed" -> ledger.settleAsBilled(id, note);
                case "resent" -> ledger.settleForResend(id, note);
                default -> true;
            };
            if (!applied || ("held".equals(decision) && alreadyHeldAt(id, upstream))) {
                continue;
            }
            Settlement s = new Settlement();
            s.submissionId = id;
            s.runId = runId;
            s.decidedAt = clock.instant();
            s.decision = decision;
            s.upstreamQuantity = upstream;
            s.confirmedQuantity = f.confirmed();
            s.uncertainQuantity = f.uncertain();
            s.note = note;
            em.persist(s);
            metrics.settled(decision);
        }
        return decision;
    }

    /** A record held again on the same figures gets no new audit row each run. */
    private boolean alreadyHeldAt(String id, BigDecimal upstream) {
        return em.createQuery("from Settlement s where s.submissionId = :id order by s.decidedAt desc, s.id desc",
                Settlement.class).setParameter("id", id).setMaxResults(1).getResultStream()
                .anyMatch(last -> "held".equals(last.decision) && last.upstreamQuantity != null
                        && last.upstreamQuantity.compareTo(upstream) == 0);
    }

    private static String plain(BigDecimal q) {
        return q.stripTrailingZeros().toPlainString();
    }
}
