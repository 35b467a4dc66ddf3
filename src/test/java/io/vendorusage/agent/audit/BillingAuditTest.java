package io.vendorusage.agent.audit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vendorusage.agent.testsupport.TestEvents;
import io.vendorusage.agent.testsupport.UpstreamProfile;
import io.vendorusage.agent.testsupport.UpstreamTest;

/** The billing audit of one organization's month, as JSON and as CSV, over real HTTP. */
@QuarkusTest
@TestProfile(UpstreamProfile.class)
class BillingAuditTest extends UpstreamTest {

    private static final String LIST = "/api/v2/billing/vendorusage/organizations";

    /** Events of one hour, two hours back: one window, one month (the month of that hour). */
    private final Instant at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS).plusSeconds(60);
    private final String period = YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString();

    private Map<String, Object> eventAt(String app, Object quantity) {
        Map<String, Object> e = event(app, quantity);
        e.put("occurredAt", at.toString());
        return e;
    }

    @Test
    void answersWhatWasBilledFromTheEventsThroughTheRecordsToTheUpstream() {
        stubUsageOk();
        ingest(List.of(eventAt(TestEvents.SUM_APP, 1.5), eventAt(TestEvents.SUM_APP, 2),
                eventAt(TestEvents.SUM_APP, 0.25), eventAt(TestEvents.PEAK_APP, 4), eventAt(TestEvents.PEAK_APP, 7)));
        flush();
        Map<String, Object> late = eventAt(TestEvents.SUM_APP, 5);
        ingest(List.of(late));

        wiremock.stubFor(get(urlPathEqualTo(LIST)).atPriority(5).willReturn(okJson("{\"entities\":[]}")));
        wiremock.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("region", equalTo("us-east-1")).atPriority(1)
                .willReturn(okJson("{\"entities\":[{\"id\":\"" + orgId + "\",\"region\":\"us-east-1\","
                        + "\"usageQuantities\":{\"" + TestEvents.SUM_APP + "\":3.75,\"" + TestEvents.PEAK_APP
                        + "\":7}}]}")));
        wiremock.stubFor(get(urlPathMatching(LIST + "/.*")).atPriority(10)
                .willReturn(okJson("{\"id\":\"x\",\"region\":\"us-east-1\",\"usages\":[]}")));
        clock.advance(java.time.Duration.ofMillis(2100)); // past the profile's upstream lag
        TestEvents.operator().post("/v1/reconciliation/run").then().statusCode(200);

        JsonPath audit = TestEvents.operator().queryParam("period", period)
                .get("/v1/organizations/{org}/usage", orgId.toUpperCase()).then().statusCode(200)
                .body("organizationId", is(orgId)).body("period", is(period))
                .body("apps", hasSize(2)).extract().jsonPath();
        String sum = "apps.find { it.appId == '" + TestEvents.SUM_APP + "' }";
        assertEquals("sum", audit.getString(sum + ".mode"));
        assertEquals(3, audit.getInt(sum + ".events.submitted.count"));
        assertEquals(3.75f, audit.getFloat(sum + ".events.submitted.quantity"));
        assertEquals(1, audit.getInt(sum + ".events.pending.count"));
        assertEquals(5f, audit.getFloat(sum + ".events.pending.quantity"));
        assertEquals(0, audit.getInt(sum + ".events.failed.count"));
        assertEquals(3.75f, audit.getFloat(sum + ".confirmed"));
        assertEquals(1, audit.getList(sum + ".records").size());
        assertEquals("confirmed", audit.getString(sum + ".records[0].state"));
        assertEquals("conf-1", audit.getString(sum + ".records[0].confirmation"));
        assertEquals(1, audit.getInt(sum + ".records[0].windows[0].firstSeq"));
        assertEquals(3, audit.getInt(sum + ".records[0].windows[0].lastSeq"));
        assertEquals(3.75f, audit.getFloat(sum + ".upstream.upstreamQuantity"));
        assertEquals("match", audit.getString(sum + ".upstream.status"));

        String peak = "apps.find { it.appId == '" + TestEvents.PEAK_APP + "' }";
        assertEquals("high-water-mark", audit.getString(peak + ".mode"));
        assertEquals(2, audit.getInt(peak + ".events.submitted.count"));
        assertEquals(7f, audit.getFloat(peak + ".events.submitted.quantity"), "a peak, not a sum");
        assertEquals(7f, audit.getFloat(peak + ".confirmed"));

        String csv = TestEvents.operator().accept("text/csv").queryParam("period", period)
                .get("/v1/organizations/{org}/usage", orgId).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertEquals(EventCsv.HEADER, lines.get(0));
        assertEquals(7, lines.size(), csv);
        String record = audit.getString(sum + ".records[0].id");
        assertEquals(3, lines.stream().filter(l -> l.contains(",premium-minutes,") && l.contains(",submitted,"
                + record + ",1,confirmed,3.75,conf-1,")).count(), csv);
        String pending = lines.stream().filter(l -> l.startsWith(late.get("eventId") + ",")).findFirst().orElseThrow();
        assertTrue(pending.startsWith(late.get("eventId") + ",premium-minutes,5,"), pending);
        assertTrue(pending.endsWith(",pending,,,,,,,,,"), pending);
    }

    @Test
    void anOrganizationWithoutUsageHasAnEmptyMonth() {
        TestEvents.operator().queryParam("period", "2026-01").get("/v1/organizations/{org}/usage",
                UUID.randomUUID().toString()).then().statusCode(200).body("apps", empty())
                .body("from", is("2026-01-01T00:00:00Z")).body("to", is("2026-02-01T00:00:00Z"));
        String csv = TestEvents.operator().accept("text/csv").queryParam("period", "2026-01")
                .get("/v1/organizations/{org}/usage", UUID.randomUUID().toString()).then().statusCode(200)
                .extract().asString();
        assertEquals(EventCsv.HEADER + "\r\n", csv);
    }

    @Test
    void refusesABadPeriodOrOrganizationAndAMissingToken() {
        for (String bad : new String[] { "", "2026-13", "2026-1", "26-11", "2026-11-31", "2026-02-30", "today" }) {
            TestEvents.operator().queryParam("period", bad).get("/v1/organizations/{org}/usage", orgId)
                    .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("YYYY-MM"));
        }
        TestEvents.operator().get("/v1/organizations/{org}/usage", orgId).then().statusCode(400);
        TestEvents.operator().accept("text/csv").queryParam("period", "2026-11")
                .get("/v1/organizations/{org}/usage", "acme").then().statusCode(400);
        io.restassured.RestAssured.given().queryParam("period", "2026-11")
                .get("/v1/organizations/{org}/usage", orgId).then().statusCode(401);
        TestEvents.ingest().queryParam("period", "2026-11")
                .get("/v1/organizations/{org}/usage", orgId).then().statusCode(401);
    }

    @Test
    void csvFieldsCannotBreakTheFileOrRunAsFormulas() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        EventCsv.field(out, "=HYPERLINK(\"x\")", false);
        EventCsv.field(out, "a,b", true);
        EventCsv.field(out, "-1.5", true);
        EventCsv.field(out, null, true);
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",-1.5,", out.toString());
    }
}
