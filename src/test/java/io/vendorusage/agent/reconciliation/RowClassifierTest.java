package io.vendorusage.agent.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vendorusage.agent.config.AppMode;

/** Every rule that judges a report line, on figures alone: no store, no upstream, no Quarkus. */
class RowClassifierTest {

    private static final Instant CUTOFF = Instant.parse("2026-11-20T08:00:00Z");
    private final RowClassifier classifier = new RowClassifier(Duration.ofHours(4));

    private static BigDecimal q(String v) {
        return new BigDecimal(v);
    }

    /** Confirmed {@code confirmed}, of which {@code beforeLag} before the cut-off; nothing else. */
    private static Figures confirmed(AppMode mode, String confirmed, String beforeLag) {
        return new Figures(mode, q(confirmed), q(beforeLag), BigDecimal.ZERO, null, BigDecimal.ZERO, 0);
    }

    private static Figures uncertain(AppMode mode, String uncertain, Instant since, long sending) {
        return new Figures(mode, q("10"), q("10"), q(uncertain), since, BigDecimal.ZERO, sending);
    }

    @Test
    void equalFiguresMatch() {
        assertEquals(RowStatus.MATCH, classifier.classify(q("10.0"), confirmed(AppMode.SUM, "10", "10"), CUTOFF)
                .status());
    }

    @Test
    void usageTheAgentNeverSentIsAnUnknownOrgAndNothingOnBothSidesMatches() {
        Figures nothing = Figures.empty(AppMode.SUM);
        assertEquals(RowStatus.UNKNOWN_ORG, classifier.classify(q("4"), nothing, CUTOFF).status());
        assertEquals(RowStatus.MATCH, classifier.classify(BigDecimal.ZERO, nothing, CUTOFF).status());
        assertEquals(RowStatus.MATCH, classifier.classify(null, nothing, CUTOFF).status());
    }

    @Test
    void recentConfirmationsExplainAnUpstreamBehindButNotAhead() {
        Figures f = confirmed(AppMode.SUM, "15", "10"); // 5 confirmed within the last 4 hours
        RowClassifier.Verdict behind = classifier.classify(q("10"), f, CUTOFF);
        assertEquals(RowStatus.UPSTREAM_LAGGING, behind.status());
        assertTrue(behind.note().contains("PT4H"), behind.note());
        assertEquals(RowStatus.UPSTREAM_LAGGING, classifier.classify(q("12"), f, CUTOFF).status());
        RowClassifier.Verdict ahead = classifier.classify(q("17.5"), f, CUTOFF);
        assertEquals(RowStatus.DRIFT, ahead.status());
        assertEquals("upstream differs by 2.5", ahead.note());
        assertEquals(RowStatus.DRIFT, classifier.classify(q("9"), f, CUTOFF).status(), "below what it must have");
    }

    @Test
    void anOrgTheUpstreamDoesNotListDriftsOnceTheLagCannotExplainIt() {
        RowClassifier.Verdict v = classifier.classify(null, confirmed(AppMode.SUM, "10", "10"), CUTOFF);
        assertEquals(RowStatus.DRIFT, v.status());
        assertEquals("the upstream does not list this org", v.note());
    }

    @Test
    void uncertainSumRecordsAreSettledOnlyOnceTheFiguresCanSayWhatWasBilled() {
        Instant old = CUTOFF.minusSeconds(60);
        RowClassifier.Verdict ready = classifier.classify(q("12"), uncertain(AppMode.SUM, "2", old, 0), CUTOFF);
        assertTrue(ready.settle());

        assertWaits(classifier.classify(null, uncertain(AppMode.SUM, "2", old, 0), CUTOFF), "unknown");
        assertWaits(classifier.classify(q("12"), uncertain(AppMode.SUM, "2", CUTOFF.plusSeconds(1), 0), CUTOFF),
                "lag");
        assertWaits(classifier.classify(q("12"), uncertain(AppMode.SUM, "2", old, 1), CUTOFF), "in flight");
        Figures recent = new Figures(AppMode.SUM, q("10"), q("8"), q("2"), old, BigDecimal.ZERO, 0);
        assertWaits(classifier.classify(q("12"), recent, CUTOFF), "recent confirmations");
        assertWaits(classifier.classify(q("12"), uncertain(AppMode.HIGH_WATER_MARK, "2", old, 0), CUTOFF),
                "high-water-mark");
    }

    private static void assertWaits(RowClassifier.Verdict v, String why) {
        assertEquals(RowStatus.UNCERTAIN_PENDING, v.status());
        assertFalse(v.settle());
        assertTrue(v.note().contains(why), v.note());
    }

    @Test
    void aSettlementGivesTheLineItsStatus() {
        assertEquals(RowStatus.DRIFT, RowClassifier.afterSettlement(SettlementOutcome.heldAll()).status());
        RowClassifier.Verdict explained = RowClassifier.afterSettlement(SettlementOutcome.settled(2, 0));
        assertEquals(RowStatus.MATCH, explained.status());
        assertEquals("uncertain settled: 2 confirmed, 0 resent", explained.note());
        assertEquals(RowStatus.UNCERTAIN_PENDING, RowClassifier.afterSettlement(SettlementOutcome.settled(1, 1))
                .status(), "a resent record is on its way");
        assertEquals(RowStatus.UNCERTAIN_PENDING, RowClassifier.snapshotMoved().status());
    }

    @Test
    void highWaterMarkPeaksCompareAsPeaks() {
        Figures peak = confirmed(AppMode.HIGH_WATER_MARK, "40", "0"); // the peak was confirmed within the lag
        assertEquals(RowStatus.UPSTREAM_LAGGING, classifier.classify(q("0"), peak, CUTOFF).status());
        assertEquals(RowStatus.MATCH, classifier.classify(q("40"), peak, CUTOFF).status());
    }
}
