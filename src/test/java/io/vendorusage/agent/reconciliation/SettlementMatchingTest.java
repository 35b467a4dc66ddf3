package io.vendorusage.agent.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which uncertain records were billed: the one subset whose quantities explain the upstream's figure. */
class SettlementMatchingTest {

    private static List<FiguresQuery.Uncertain> records(String... quantities) {
        return java.util.Arrays.stream(quantities).map(q -> new FiguresQuery.Uncertain("sub-" + q, new BigDecimal(q)))
                .toList();
    }

    @Test
    void findsTheBilledRecordsAmongSeveral() {
        // 2.5 and 4 reached the upstream (processed, then 504); 7.25 never did (killed before sending)
        assertEquals(0b011, SettlementService.uniqueSubset(records("2.5", "4", "7.25"), new BigDecimal("6.5")));
        assertEquals(0b000, SettlementService.uniqueSubset(records("2.5", "4", "7.25"), BigDecimal.ZERO));
        assertEquals(0b111, SettlementService.uniqueSubset(records("2.5", "4", "7.25"), new BigDecimal("13.75")));
    }

    @Test
    void holdsWhenNoSubsetOrMoreThanOneExplainsTheDifference() {
        assertEquals(-1, SettlementService.uniqueSubset(records("2.5", "4"), new BigDecimal("1")));
        assertEquals(-1, SettlementService.uniqueSubset(records("3", "3", "5"), new BigDecimal("3")),
                "either 3 could have been billed: ambiguous");
        assertEquals(-1, SettlementService.uniqueSubset(records("1", "2", "3"), new BigDecimal("3")),
                "3 or 1+2: ambiguous");
    }
}
