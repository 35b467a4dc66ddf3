package io.vendorusage.agent.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which uncertain records the upstream's figure shows as billed: pure rules, no store. A run settles only the
 * records of its snapshot ({@link #settleable}), and only when exactly one subset of them explains the
 * difference between the upstream's figure and the confirmed one ({@link #uniqueSubset}).
 */
final class SettlementMatching {

    private SettlementMatching() {
    }

    /**
     * The uncertain records a run may settle: those of its snapshot of the agent's figures. The list is
     * read again at settling time, and a record whose POST ended after the run read the upstream's figure
     * (so that figure may lack it) must not be judged by it: one that became uncertain a moment later was
     * once "settled" as not billed and sent again, billing it twice. Records newer than the lag cut-off are
     * left out, and if the rest no longer adds up to the snapshot's uncertain figure, nothing is settled
     * this run.
     *
     * @return the records to settle, or empty when the ledger moved since the snapshot
     */
    static Optional<List<FiguresQuery.Uncertain>> settleable(List<FiguresQuery.Uncertain> current, Instant lagCutoff,
            BigDecimal snapshotUncertain) {
        List<FiguresQuery.Uncertain> old = current.stream().filter(u -> !u.since().isAfter(lagCutoff)).toList();
        BigDecimal sum = old.stream().map(FiguresQuery.Uncertain::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        return old.isEmpty() || sum.compareTo(snapshotUncertain) != 0 ? Optional.empty() : Optional.of(old);
    }

    /** @return the one subset (as a bit mask) whose quantities add up to {@code target}, or -1 */
    static long uniqueSubset(List<FiguresQuery.Uncertain> uncertain, BigDecimal target) {
        int n = uncertain.size();
        long found = -1;
        for (long mask = 0; mask < (1L << n); mask++) {
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) {
                if ((mask & (1L << i)) != 0) {
                    sum = sum.add(uncertain.get(i).quantity());
                }
            }
            if (sum.compareTo(target) == 0) {
                if (found >= 0) {
                    return -1;
                }
                found = mask;
            }
        }
        return found;
    }

}
