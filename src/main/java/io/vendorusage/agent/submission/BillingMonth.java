package io.vendorusage.agent.submission;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The billing period the agent assumes for a window: the UTC calendar month it starts in. Genesys bills per
 * customer billing month; the submitter uses the calendar month for closing and for high-water-mark peaks.
 */
public record BillingMonth(Instant start, Instant end) {

    /** @return the UTC month containing {@code instant} */
    public static BillingMonth of(Instant instant) {
        YearMonth month = YearMonth.from(instant.atZone(ZoneOffset.UTC));
        return new BillingMonth(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
