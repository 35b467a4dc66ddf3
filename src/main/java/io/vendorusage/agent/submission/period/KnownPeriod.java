package io.vendorusage.agent.submission.period;

import java.time.Instant;

/** A billing period as the org detail named it ({@code dateBillingPeriodStart}, exclusive end). */
public record KnownPeriod(Instant start, Instant end) {

    public KnownPeriod {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a billing period must end after it starts: " + start + " .. " + end);
        }
    }
}
