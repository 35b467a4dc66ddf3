package io.vendorusage.agent.submission.period;

import java.time.Instant;

/**
 * One billing period of a customer org: start inclusive, end exclusive (UTC), and whether Genesys confirmed it.
 */
public record OrgPeriod(Instant start, Instant end, PeriodSource source) {

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** @return whether money decisions may rely on the span ({@link PeriodSource#UPSTREAM}) */
    public boolean known() {
        return source == PeriodSource.UPSTREAM;
    }
}
