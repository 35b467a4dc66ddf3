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

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @org.junit.jupiter.api.Test
    void aListingPageKeepsNumericQuantitiesOfOrgsWithAnIdAndReadsItsCursor() throws Exception {
        UsagePage page = UsageParser.page(json("{'entities':[{'id':'ORG-A','name':'A','region':'us-east-1',"
                + "'usageQuantities':{'minutes':12.5,'seats':'7','wallboards':null}},{'name':'no id',"
                + "'usageQuantities':{'minutes':1}}],'nextUri':'/api/v2/billing/vendorusage/organizations?pageSize=200"
                + "&after=abc%3D%3D&region=us-east-1'}"));
        assertEquals(1, page.organizations().size());
        OrganizationUsage a = page.organizations().get(0);
        assertEquals("org-a", a.organizationId());
        assertEquals("A", a.name());
        assertEquals("us-east-1", a.region());
        assertEquals(java.util.Map.of("minutes", new java.math.BigDecimal("12.5")), a.usageQuantities());
        assertEquals(java.util.Optional.of("abc=="), page.nextAfter());
        assertEquals(java.util.Optional.empty(), UsageParser.page(json("{'entities':[]}")).nextAfter());
        assertEquals(java.util.Optional.empty(), UsageParser.cursor(" "));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UsageParser.cursor("/next?pageSize=200"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UsageParser.cursor("/next?after="));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> UsageParser.cursor("/next"));
    }

    @org.junit.jupiter.api.Test
    void theDetailAddsUpAnAppsUsagesAndSkipsUnreadableOnes() throws Exception {
        OrganizationDetail d = UsageParser.detail(json("{'id':'ORG','region':'eu-west-1','usages':["
                + "{'appId':'minutes','usageQuantity':2},{'appId':'minutes','usageQuantity':3.5},"
                + "{'appId':'seats','usageQuantity':'9'},{'appId':null,'usageQuantity':4},{'usageQuantity':4}]}"));
        assertEquals(java.util.Map.of("minutes", new java.math.BigDecimal("5.5")), d.usageQuantities());
        assertEquals("eu-west-1", d.region());
        org.junit.jupiter.api.Assertions.assertNull(d.billingPeriodStart(), "no period named");
        org.junit.jupiter.api.Assertions.assertNull(d.billingPeriodEnd());
        org.junit.jupiter.api.Assertions.assertNull(UsageParser.start(" "));
    }

    @org.junit.jupiter.api.Test
    void aLocalDateTimeIsReadAsItsDayAndOnlyALastSecondEndsAtTheNextMinute() {
        assertEquals(Instant.parse("2026-01-15T00:00:00Z"), UsageParser.start("2026-01-15T08:00:00"));
        assertEquals(Instant.parse("2026-02-15T00:00:00Z"), UsageParser.end("2026-02-14T08:00:00"));
        assertEquals(Instant.parse("2026-02-14T23:59:58Z"), UsageParser.end("2026-02-14T23:59:58Z"));
        assertEquals(Instant.parse("2026-02-14T23:59:59Z"), UsageParser.start("2026-02-14T23:59:59Z"),
                "a start is never moved");
        assertEquals(Instant.parse("2026-02-14T23:00:00Z"), UsageParser.end("2026-02-14T22:59:59Z"));
    }
}
