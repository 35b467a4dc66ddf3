package io.vendorusage.agent.submission.period;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The billing-period arithmetic: anchors across month ends and leap years, renewals that move the anchor. */
@Tag("store-independent")
@net.jqwik.api.Tag("store-independent")
class PeriodCalendarTest {

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    private static PeriodCalendar anchoredAt(String start) {
        Instant s = at(start);
        return PeriodCalendar.of(List.of(new KnownPeriod(s, PeriodCalendar.step(s, 1))));
    }

    @ParameterizedTest(name = "anchor {0}: the period holding {1} is {2} .. {3}")
    @CsvSource({
            // the 1st: calendar months
            "2026-01-01T00:00:00Z, 2026-02-14T10:00:00Z, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
            // the 15th, as Genesys's own example: 15 January to 14 February 23:59:59
            "2026-01-15T00:00:00Z, 2026-02-14T23:59:59Z, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            "2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z, 2026-02-15T00:00:00Z, 2026-03-15T00:00:00Z",
            // the 28th never clamps
            "2026-01-28T00:00:00Z, 2026-02-28T00:00:00Z, 2026-02-28T00:00:00Z, 2026-03-28T00:00:00Z",
            // the 29th: 28 February in a common year, 29 February in a leap year
            "2026-01-29T00:00:00Z, 2026-02-28T12:00:00Z, 2026-02-28T00:00:00Z, 2026-03-29T00:00:00Z",
            "2028-01-29T00:00:00Z, 2028-02-28T12:00:00Z, 2028-01-29T00:00:00Z, 2028-02-29T00:00:00Z",
            "2028-01-29T00:00:00Z, 2028-02-29T00:00:00Z, 2028-02-29T00:00:00Z, 2028-03-29T00:00:00Z",
            // the 30th: February clamps, March is the 30th again
            "2026-01-30T00:00:00Z, 2026-03-01T00:00:00Z, 2026-02-28T00:00:00Z, 2026-03-30T00:00:00Z",
            "2028-01-30T00:00:00Z, 2028-02-29T08:00:00Z, 2028-02-29T00:00:00Z, 2028-03-30T00:00:00Z",
            // the 31st: the 30th in April, the 31st again in May, the 28th or 29th in February
            "2026-01-31T00:00:00Z, 2026-04-30T00:00:00Z, 2026-04-30T00:00:00Z, 2026-05-31T00:00:00Z",
            "2026-01-31T00:00:00Z, 2026-04-29T23:00:00Z, 2026-03-31T00:00:00Z, 2026-04-30T00:00:00Z",
            "2026-01-31T00:00:00Z, 2026-02-28T00:00:00Z, 2026-02-28T00:00:00Z, 2026-03-31T00:00:00Z",
            "2028-01-31T00:00:00Z, 2028-02-29T00:00:00Z, 2028-02-29T00:00:00Z, 2028-03-31T00:00:00Z",
            // a time of day is part of the anchor; periods before the named one follow it too
            "2026-05-31T06:30:00Z, 2026-03-01T00:00:00Z, 2026-02-28T06:30:00Z, 2026-03-31T06:30:00Z",
            "2026-05-31T06:30:00Z, 2025-12-31T06:29:59Z, 2025-11-30T06:30:00Z, 2025-12-31T06:30:00Z" })
    void periodsFollowTheAnchorClampedAtMonthEnd(String anchor, String instant, String start, String end) {
        OrgPeriod p = anchoredAt(anchor).periodOf(at(instant));
        assertEquals(at(start), p.start(), p.toString());
        assertEquals(at(end), p.end(), p.toString());
    }

    @Test
    void theNamedPeriodIsUpstreamAndTheOnesAfterItAreAssumedUntilGenesysNamesThem() {
        PeriodCalendar c = anchoredAt("2026-01-15T00:00:00Z");
        assertEquals(PeriodSource.UPSTREAM, c.periodOf(at("2026-01-20T00:00:00Z")).source());
        assertEquals(PeriodSource.UPSTREAM, c.periodOf(at("2025-12-20T00:00:00Z")).source(), "before: closed");
        assertEquals(PeriodSource.ASSUMED, c.periodOf(at("2026-02-20T00:00:00Z")).source(), "after: not named yet");
        assertTrue(c.names(at("2026-02-14T23:59:59Z")));
        assertFalse(c.names(at("2026-02-15T00:00:00Z")));
    }

    @Test
    void withoutANamedPeriodTheCalendarMonthIsAssumed() {
        OrgPeriod p = PeriodCalendar.unknown().periodOf(at("2026-02-14T10:00:00Z"));
        assertEquals(new OrgPeriod(at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), PeriodSource.ASSUMED), p);
        assertFalse(p.known());
    }

    @Test
    void aRenewalThatMovesTheAnchorWinsFromItsStartAndLeavesEarlierPeriodsAlone() {
        // anchored on the 15th; the contract is renewed to run from 1 April; Genesys names both periods
        PeriodCalendar c = PeriodCalendar.of(List.of(
                new KnownPeriod(at("2026-01-15T00:00:00Z"), at("2026-02-15T00:00:00Z")),
                new KnownPeriod(at("2026-04-01T00:00:00Z"), at("2026-05-01T00:00:00Z"))));
        assertEquals(new OrgPeriod(at("2026-02-15T00:00:00Z"), at("2026-03-15T00:00:00Z"), PeriodSource.UPSTREAM),
                c.periodOf(at("2026-03-01T00:00:00Z")));
        // the short period between the old anchor and the renewal
        assertEquals(new OrgPeriod(at("2026-03-15T00:00:00Z"), at("2026-04-01T00:00:00Z"), PeriodSource.UPSTREAM),
                c.periodOf(at("2026-03-20T00:00:00Z")));
        assertEquals(new OrgPeriod(at("2026-04-01T00:00:00Z"), at("2026-05-01T00:00:00Z"), PeriodSource.UPSTREAM),
                c.periodOf(at("2026-04-01T00:00:00Z")));
        assertEquals(new OrgPeriod(at("2026-06-01T00:00:00Z"), at("2026-07-01T00:00:00Z"), PeriodSource.ASSUMED),
                c.periodOf(at("2026-06-10T00:00:00Z")));
        assertEquals(new OrgPeriod(at("2025-12-15T00:00:00Z"), at("2026-01-15T00:00:00Z"), PeriodSource.UPSTREAM),
                c.periodOf(at("2026-01-01T00:00:00Z")));
        assertEquals(c.periodOf(at("2026-03-20T00:00:00Z")), c.previous(c.periodOf(at("2026-04-02T00:00:00Z"))));
    }

    @Test
    void aNamedPeriodThatOverlapsTheNextEndsWhereTheNextStarts() {
        PeriodCalendar c = PeriodCalendar.of(List.of(
                new KnownPeriod(at("2026-01-15T00:00:00Z"), at("2026-02-15T00:00:00Z")),
                new KnownPeriod(at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))));
        assertEquals(at("2026-02-01T00:00:00Z"), c.periodOf(at("2026-01-20T00:00:00Z")).end());
        assertEquals(at("2026-02-01T00:00:00Z"), c.periodOf(at("2026-02-10T00:00:00Z")).start());
    }

    @Test
    void aNamedPeriodEndingOffTheAnchorIsFollowedByAShortOneUpToTheNextAnchorDay() {
        // Genesys named a period that ends on the 20th although it started on the 15th (a changed contract)
        PeriodCalendar c = PeriodCalendar.of(List.of(
                new KnownPeriod(at("2026-01-15T00:00:00Z"), at("2026-02-20T00:00:00Z"))));
        assertEquals(new OrgPeriod(at("2026-02-20T00:00:00Z"), at("2026-03-15T00:00:00Z"), PeriodSource.ASSUMED),
                c.periodOf(at("2026-03-01T00:00:00Z")));
    }

    /** Anchors on any day of any month from 2024 to 2031, at any whole minute. */
    @Provide
    Arbitrary<Instant> anchors() {
        return Combinators.combine(Arbitraries.integers().between(2024, 2031), Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 31), Arbitraries.integers().between(0, 24 * 60 - 1))
                .as((y, m, d, minute) -> LocalDateTime.of(y, m, Math.min(d, YearMonth.of(y, m).lengthOfMonth()),
                        minute / 60, minute % 60).toInstant(ZoneOffset.UTC));
    }

    /** Instants within about three years of 2027. */
    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(at("2025-06-01T00:00:00Z").getEpochSecond(),
                at("2029-06-01T00:00:00Z").getEpochSecond()).map(Instant::ofEpochSecond);
    }

    @Property(tries = 3000)
    void periodsTileTimeAndStartOnTheAnchorDayClamped(@ForAll("anchors") Instant anchor,
            @ForAll("instants") Instant instant) {
        PeriodCalendar c = PeriodCalendar.of(List.of(new KnownPeriod(anchor, PeriodCalendar.step(anchor, 1))));
        OrgPeriod p = c.periodOf(instant);
        assertTrue(p.contains(instant), p + " holds " + instant);
        // the next period starts where this one ends, the one before ends where it starts: no gap, no overlap
        assertEquals(p.end(), c.periodOf(p.end()).start());
        assertEquals(p.start(), c.previous(p).end());
        // every start is the anchor's day (clamped to the month's length) at the anchor's time of day
        LocalDateTime a = LocalDateTime.ofInstant(anchor, ZoneOffset.UTC);
        LocalDateTime s = LocalDateTime.ofInstant(p.start(), ZoneOffset.UTC);
        assertEquals(Math.min(a.getDayOfMonth(), YearMonth.from(s).lengthOfMonth()), s.getDayOfMonth(), p.toString());
        assertEquals(a.toLocalTime(), s.toLocalTime());
        // a month long: from 28 to 31 days
        long days = java.time.Duration.between(p.start(), p.end()).toDays();
        assertTrue(days >= 28 && days <= 31, p.toString());
        assertEquals(p.start().equals(anchor) || !instant.isBefore(PeriodCalendar.step(anchor, 1))
                || instant.isBefore(anchor) ? p.source() : PeriodSource.UPSTREAM, p.source());
    }

    @Property(tries = 1000)
    void aRenewalNeverLeavesAGapOrAnOverlap(@ForAll("anchors") Instant first, @ForAll("anchors") Instant renewal,
            @ForAll("instants") Instant instant) {
        Instant a = first.isBefore(renewal) ? first : renewal;
        Instant b = first.isBefore(renewal) ? renewal : first;
        if (!b.isAfter(a)) {
            return;
        }
        PeriodCalendar c = PeriodCalendar.of(List.of(new KnownPeriod(a, PeriodCalendar.step(a, 1)),
                new KnownPeriod(b, PeriodCalendar.step(b, 1))));
        OrgPeriod p = c.periodOf(instant);
        assertTrue(p.contains(instant), p + " holds " + instant);
        assertEquals(p.end(), c.periodOf(p.end()).start());
        assertEquals(p.start(), c.previous(p).end());
        // the renewal's period is exactly as named, and nothing before it reaches past its start
        assertEquals(PeriodCalendar.step(b, 1), c.periodOf(b).end());
        assertTrue(!c.periodOf(b.minusSeconds(1)).end().isAfter(b));
    }

    @Test
    void ofTwoNamedPeriodsWithOneStartTheLaterWinsAndTheyAreKeptInOrder() {
        Instant jan = Instant.parse("2026-01-15T00:00:00Z");
        Instant feb = Instant.parse("2026-02-15T00:00:00Z");
        Instant mar = Instant.parse("2026-03-15T00:00:00Z");
        PeriodCalendar c = PeriodCalendar.of(List.of(new KnownPeriod(feb, mar), new KnownPeriod(jan, feb),
                new KnownPeriod(jan, Instant.parse("2026-02-10T00:00:00Z"))));
        assertEquals(List.of(new KnownPeriod(jan, Instant.parse("2026-02-10T00:00:00Z")), new KnownPeriod(feb, mar)),
                c.named(), "by start, the second answer for January kept");
        assertTrue(c.names(Instant.parse("2026-02-01T00:00:00Z")));
        assertFalse(c.names(Instant.parse("2026-02-12T00:00:00Z")), "between the two named periods");
        assertFalse(c.names(mar), "an end is exclusive");
        assertTrue(c.names(jan), "a start is inclusive");
    }
}
