package io.vendorusage.agent.reconciliation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A billing period of a report line, end exclusive, and where it came from: {@code upstream} (the org's detail
 * said so) or {@code assumed} (the UTC calendar month, while the upstream has not told).
 */
record Period(Instant start, Instant end, String source) {

    static final String UPSTREAM = "upstream";
    static final String ASSUMED = "assumed";

    static Period calendarMonthOf(Instant now) {
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        return new Period(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), ASSUMED);
    }

    static Period fromUpstream(Instant start, Instant end) {
        return new Period(start, end, UPSTREAM);
    }

    boolean sameSpan(Period other) {
        return start.equals(other.start) && end.equals(other.end);
    }
}
