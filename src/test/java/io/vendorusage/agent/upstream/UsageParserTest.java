package io.vendorusage.agent.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** How the org detail's billing period is read: dates, date-times, and an end worded as the period's last second. */
@Tag("store-independent")
class UsageParserTest {

    @ParameterizedTest(name = "{0} .. {1} is [{2}, {3})")
    @CsvSource({
            // dates: the end date is the period's last day
            "2026-01-15, 2026-02-14, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            // Genesys's own wording: 15 January to 14 February 23:59:59 UTC
            "2026-01-15T00:00:00Z, 2026-02-14T23:59:59Z, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            "2026-01-15T00:00:00.000Z, 2026-02-14T23:59:59.999Z, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            "2026-01-15T00:00:00+00:00, 2026-02-14T23:59:59+00:00, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            // an exclusive end is kept as it is
            "2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z, 2026-01-15T00:00:00Z, 2026-02-15T00:00:00Z",
            "2026-01-15T06:30:00Z, 2026-02-15T06:30:00Z, 2026-01-15T06:30:00Z, 2026-02-15T06:30:00Z" })
    void readsTheBillingPeriod(String start, String end, String expectedStart, String expectedEnd) throws Exception {
        OrganizationDetail d = UsageParser.detail(new ObjectMapper().readTree("{\"id\":\"ORG\",\"region\":\"us-east-1\","
                + "\"dateBillingPeriodStart\":\"" + start + "\",\"dateBillingPeriodEnd\":\"" + end + "\",\"usages\":[]}"));
        assertEquals(Instant.parse(expectedStart), d.billingPeriodStart());
        assertEquals(Instant.parse(expectedEnd), d.billingPeriodEnd());
        assertEquals("org", d.organizationId());
    }
}
