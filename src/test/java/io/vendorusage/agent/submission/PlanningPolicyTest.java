package io.vendorusage.agent.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vendorusage.agent.config.AppMode;
import io.vendorusage.agent.outbox.OutboxWindows;
import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodSource;

/** The planner's decisions on figures alone: due windows, the budget, merging's reach, quantities, peaks. */
class PlanningPolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:30Z");

    private static BigDecimal q(String v) {
        return new BigDecimal(v);
    }

    @Test
    void aWindowIsDueOnceClosedPastTheGraceAndQuietOrHeldLongEnough() {
        OutboxWindows.Due due = PlanningPolicy.due(NOW, false, Duration.ofHours(1), Duration.ofMinutes(2),
                Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals(Instant.parse("2026-12-07T10:58:30Z"), due.cutoff(), "window start + bucket + grace <= now");
        assertEquals(Instant.parse("2026-12-07T12:00:25Z"), due.quietSince(), "no event for the quiet time");
        assertEquals(Instant.parse("2026-12-07T09:58:30Z"), due.heldSince(), "due for the max-hold");
        assertEquals(Instant.parse("2026-12-07T11:00:30Z"), due.backlogSince(), "waiting events for the max-hold");
    }

    @Test
    void aFlushTakesEveryWindow() {
        OutboxWindows.Due due = PlanningPolicy.due(NOW, true, Duration.ofHours(1), Duration.ofMinutes(2),
                Duration.ofSeconds(5), Duration.ofHours(1));
        for (Instant bound : new Instant[] { due.cutoff(), due.quietSince(), due.heldSince(), due.backlogSince() }) {
            assertEquals(PlanningPolicy.EVERYTHING, bound);
        }
    }

    @Test
    void theBudgetIsShortOnlyWhenMoreIsDueThanItSendsInOneWindow() {
        assertEquals(300 * 60, PlanningPolicy.budgetPerWindow(300, Duration.ofHours(1)));
        assertEquals(5, PlanningPolicy.budgetPerWindow(300, Duration.ofSeconds(1)));
        assertEquals(1, PlanningPolicy.budgetPerWindow(1, Duration.ofSeconds(1)), "at least one");
        assertEquals(Optional.empty(), PlanningPolicy.shortage(12, 4, 8), "exactly the budget is not short");
        Optional<String> short1 = PlanningPolicy.shortage(12, 4, 9);
        assertEquals("4 planned records and 9 due windows exceed the 12 records the rate budget sends in one window",
                short1.orElseThrow());
        assertTrue(PlanningPolicy.shortage(12, 13, 0).isPresent());
    }

    @Test
    void aMergedRecordReachesTheCutoffButNeverPastItsPeriod() {
        OrgPeriod period = new OrgPeriod(Instant.parse("2026-11-15T00:00:00Z"), Instant.parse("2026-12-15T00:00:00Z"),
                PeriodSource.UPSTREAM);
        Instant cutoff = Instant.parse("2026-12-07T10:58:30Z");
        assertEquals(cutoff, PlanningPolicy.mergeReach(period, cutoff));
        assertEquals(Instant.parse("2026-12-14T23:59:59.999999Z"),
                PlanningPolicy.mergeReach(period, Instant.parse("2026-12-20T00:00:00Z")),
                "the last microsecond of the period: its turn is never crossed");
        assertEquals(Instant.parse("2026-12-14T23:59:59.999999Z"),
                PlanningPolicy.mergeReach(period, Instant.parse("2026-12-14T23:59:59.999999Z")));
    }

    @Test
    void aSumRecordAddsAndAPeakRecordTakesTheHighest() {
        assertEquals(q("7.5"), PlanningPolicy.quantity(AppMode.SUM, q("7.5"), q("4")));
        assertEquals(q("4"), PlanningPolicy.quantity(AppMode.HIGH_WATER_MARK, q("7.5"), q("4")));
        assertEquals(q("17.5"), PlanningPolicy.folded(AppMode.SUM, q("10"), q("7.5"), q("4")));
        assertEquals(q("10"), PlanningPolicy.folded(AppMode.HIGH_WATER_MARK, q("10"), q("7.5"), q("4")));
        assertEquals(q("12"), PlanningPolicy.folded(AppMode.HIGH_WATER_MARK, q("10"), q("20"), q("12")));
    }

    @Test
    void onlyAKnownPeriodsPeakAtLeastAsHighCoversNewValues() {
        Optional<BigDecimal> peak = Optional.of(q("10"));
        assertTrue(PlanningPolicy.coveredByPeak(AppMode.HIGH_WATER_MARK, true, q("10"), peak), "equal is covered");
        assertTrue(PlanningPolicy.coveredByPeak(AppMode.HIGH_WATER_MARK, true, q("9.5"), peak));
        assertFalse(PlanningPolicy.coveredByPeak(AppMode.HIGH_WATER_MARK, true, q("10.5"), peak), "a new peak");
        assertFalse(PlanningPolicy.coveredByPeak(AppMode.HIGH_WATER_MARK, false, q("1"), peak),
                "on an assumed period the value could be a new period's peak");
        assertFalse(PlanningPolicy.coveredByPeak(AppMode.HIGH_WATER_MARK, true, q("1"), Optional.empty()),
                "the period's first value");
        assertFalse(PlanningPolicy.coveredByPeak(AppMode.SUM, true, q("1"), peak), "sum usage always adds");
    }
}
