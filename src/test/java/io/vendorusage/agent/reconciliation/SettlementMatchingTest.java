package io.vendorusage.agent.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which uncertain records were billed: the one subset whose quantities explain the upstream's figure. */
class SettlementMatchingTest {

    private static final Instant CUTOFF = Instant.parse("2026-11-25T17:21:05Z");

    private static List<FiguresQuery.Uncertain> records(String... quantities) {
        return java.util.Arrays.stream(quantities)
                .map(q -> new FiguresQuery.Uncertain("sub-" + q, new BigDecimal(q), CUTOFF.minusSeconds(30))).toList();
    }

    @Test
    void findsTheBilledRecordsAmongSeveral() {
        // 2.5 and 4 reached the upstream (processed, then 504); 7.25 never did (killed before sending)
        assertEquals(0b011, SettlementMatching.uniqueSubset(records("2.5", "4", "7.25"), new BigDecimal("6.5")));
        assertEquals(0b000, SettlementMatching.uniqueSubset(records("2.5", "4", "7.25"), BigDecimal.ZERO));
        assertEquals(0b111, SettlementMatching.uniqueSubset(records("2.5", "4", "7.25"), new BigDecimal("13.75")));
    }

    @Test
    void holdsWhenNoSubsetOrMoreThanOneExplainsTheDifference() {
        assertEquals(-1, SettlementMatching.uniqueSubset(records("2.5", "4"), new BigDecimal("1")));
        assertEquals(-1, SettlementMatching.uniqueSubset(records("3", "3", "5"), new BigDecimal("3")),
                "either 3 could have been billed: ambiguous");
        assertEquals(-1, SettlementMatching.uniqueSubset(records("1", "2", "3"), new BigDecimal("3")),
                "3 or 1+2: ambiguous");
    }

    @Test
    void settlesOnlyTheRecordsOfTheRunsSnapshot() {
        List<FiguresQuery.Uncertain> old = records("2.5", "4");
        assertEquals(Optional.of(old), SettlementMatching.settleable(old, CUTOFF, new BigDecimal("6.5")));

        // CI, 2026-11-25: a record became uncertain after the run had read the upstream's figure (which
        // lacked it) and before it settled; judged by that figure it was "not billed", sent again, billed twice
        List<FiguresQuery.Uncertain> now = new ArrayList<>(old);
        now.add(new FiguresQuery.Uncertain("sub-late", new BigDecimal("599635.547"), CUTOFF.plusMillis(1096)));
        assertEquals(Optional.of(old), SettlementMatching.settleable(now, CUTOFF, new BigDecimal("6.5")),
                "the newer record is left to a later run");

        // the ledger moved since the snapshot (a record settled or retried meanwhile): settle nothing now
        assertEquals(Optional.empty(), SettlementMatching.settleable(records("2.5"), CUTOFF, new BigDecimal("6.5")));
        assertEquals(Optional.empty(), SettlementMatching.settleable(List.of(), CUTOFF, new BigDecimal("6.5")));
    }

    @org.junit.jupiter.api.Test
    void anEmptySubsetAndAnotherOfZeroAreTwoExplanations() {
        assertEquals(-1, SettlementMatching.uniqueSubset(records("0", "3"), BigDecimal.ZERO),
                "{} and {0} both add up to 0: nothing is settled");
        assertEquals(0b10, SettlementMatching.uniqueSubset(records("0", "3"), new BigDecimal("3")) & 0b10);
    }
}
