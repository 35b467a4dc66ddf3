package io.vendorusage.agent.reconciliation;

import java.time.Instant;

import io.vendorusage.agent.submission.period.OrgPeriod;
import io.vendorusage.agent.submission.period.PeriodCalendar;
import io.vendorusage.agent.submission.period.PeriodSource;

/**
 * A billing period of a report line, end exclusive, and where it came from: {@code upstream} (the org detail named
 * it) or {@code assumed} (the UTC calendar month, or the next period on the org's anchor, while the upstream has not
 * confirmed it).
 */
record Period(Instant start, Instant end, String source) {

    static final String UPSTREAM = PeriodSource.UPSTREAM.wire();
    static final String ASSUMED = PeriodSource.ASSUMED.wire();

    static Period calendarMonthOf(Instant now) {
        return of(PeriodCalendar.unknown().periodOf(now));
    }

    static Period of(OrgPeriod period) {
        return new Period(period.start(), period.end(), period.source().wire());
    }

    boolean sameSpan(Period other) {
        return start.equals(other.start) && end.equals(other.end);
    }
}
