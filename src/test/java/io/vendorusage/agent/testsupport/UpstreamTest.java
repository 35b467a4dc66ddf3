package io.vendorusage.agent.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vendorusage.agent.submission.Submission;
import io.vendorusage.agent.submission.SubmissionRepository;
import io.vendorusage.agent.upstream.RateLimiter;

/** Shared set-up of tests against the WireMock upstream: a fresh orgId per test, stubs reset, breaker closed. */
public abstract class UpstreamTest {

    public static final String USAGE_PATH = "/api/v2/billing/vendorusage/organizations/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    protected WireMockServer wiremock;

    @Inject
    protected SubmissionRepository submissions;

    @Inject
    CircuitBreakerMaintenance breakers;

    /** This test's customer orgId: the upstream counts are per orgId path, so tests never see each other. */
    protected String orgId;

    @Inject
    RateLimiter limiter;

    @Inject
    protected io.vendorusage.agent.upstream.TokenProvider tokens;

    /** The agent's clock: move it instead of sleeping. */
    @Inject
    protected TestClock clock;

    @BeforeEach
    void freshUpstream() {
        // a hold an earlier test left (a Retry-After, a spent window) ends for this one: its time has passed
        limiter.blockedUntil().ifPresent(clock::advanceTo);
        // likewise a rejection of the credentials an earlier test left (at most the profile's credentials-retry)
        tokens.rejectedUntil().ifPresent(clock::advanceTo);
        wiremock.resetAll();
        breakers.resetAll();
        orgId = UUID.randomUUID().toString();
        wiremock.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"tok-" + UUID.randomUUID() + "\",\"token_type\":\"bearer\","
                        + "\"expires_in\":86400}")));
        // the org's billing period: the calendar month of the test clock, unless a test stubs its own
        stubBillingPeriod(orgId, clock.instant(), 10);
    }

    /**
     * Answers the org detail of {@code org} with the UTC calendar month holding {@code at} as its billing period,
     * at the given WireMock priority (1 is the highest).
     */
    protected void stubBillingPeriod(String org, java.time.Instant at, int priority) {
        java.time.YearMonth month = java.time.YearMonth.from(at.atZone(java.time.ZoneOffset.UTC));
        stubBillingPeriod(org, month.atDay(1).toString(), month.atEndOfMonth().toString(), priority);
    }

    /**
     * Answers the org detail of {@code org} with a monthly billing period that starts on the day before
     * {@code from}: a test's events of the last hours share one period whatever the date (no skip near a month's
     * turn).
     */
    protected void stubBillingPeriodAround(String org, java.time.Instant from, int priority) {
        java.time.LocalDate start = from.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1);
        stubBillingPeriod(org, start.toString(), start.plusMonths(1).minusDays(1).toString(), priority);
    }

    /** Answers the org detail of {@code org} with the billing period named by these two dates (Genesys's form). */
    protected void stubBillingPeriod(String org, String start, String end, int priority) {
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(USAGE_PATH + org))
                .atPriority(priority).willReturn(okJson("{\"id\":\"" + org + "\",\"name\":\"Org\",\"region\":"
                        + "\"us-east-1\",\"dateBillingPeriodStart\":\"" + start + "\",\"dateBillingPeriodEnd\":\""
                        + end + "\",\"contract\":{\"type\":\"Test\"},\"usages\":[]}")));
    }

    protected MappingBuilder usagePost() {
        return post(urlPathEqualTo(USAGE_PATH + orgId));
    }

    protected void stubUsageOk() {
        wiremock.stubFor(usagePost().willReturn(okJson("{\"id\":\"u-1\",\"confirmation\":\"conf-1\"}")));
    }

    protected void stubUsage(int status, String body) {
        wiremock.stubFor(usagePost().willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** @return the usage POSTs this test's orgId received */
    protected List<LoggedRequest> posts() {
        return wiremock.findAll(postRequestedFor(urlPathEqualTo(USAGE_PATH + orgId)));
    }

    protected List<JsonNode> postBodies() {
        List<JsonNode> bodies = new ArrayList<>();
        for (LoggedRequest r : posts()) {
            try {
                bodies.add(JSON.readTree(r.getBodyAsString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return bodies;
    }

    protected Map<String, Object> event(String app, Object quantity) {
        Map<String, Object> e = TestEvents.event(TestEvents.newId());
        e.put("organizationId", orgId);
        e.put("appId", app);
        e.put("quantity", quantity);
        return e;
    }

    protected void ingest(List<Map<String, Object>> events) {
        TestEvents.ingest().body(events).post("/v1/usage-events").then().statusCode(202);
    }

    protected io.restassured.response.ValidatableResponse flush() {
        return TestEvents.operator()
                .post("/v1/submissions/flush").then().statusCode(200);
    }

    /** @return this test's records, read in a fresh transaction so they are never stale */
    protected List<Submission> records() {
        return QuarkusTransaction.requiringNew()
                .call(() -> submissions.list("organizationId = ?1 order by revision", orgId));
    }

    protected Submission onlyRecord() {
        List<Submission> records = records();
        if (records.size() != 1) {
            throw new AssertionError("expected one record, found " + records.size());
        }
        return records.get(0);
    }

    /**
     * Stores a planned sum record of 10 for this test's org, as an agent that planned it earlier left it (ingest
     * refuses events older than the lateness limit).
     *
     * @return its id
     */
    protected String plannedRecord(java.time.Instant window) {
        String id = io.vendorusage.agent.submission.SubmissionIds.of(orgId, TestEvents.SUM_APP, window, 1);
        QuarkusTransaction.requiringNew().run(() -> {
            Submission s = new Submission();
            s.id = id;
            s.organizationId = orgId;
            s.appId = TestEvents.SUM_APP;
            s.bucketStart = window;
            s.revision = 1;
            s.mode = io.vendorusage.agent.config.AppMode.SUM;
            s.quantity = BigDecimal.TEN;
            s.eventCount = 1;
            s.state = io.vendorusage.agent.submission.SubmissionState.PLANNED;
            s.nextAttemptAt = clock.instant();
            s.createdAt = clock.instant();
            s.updatedAt = clock.instant();
            submissions.persist(s);
        });
        return id;
    }

    protected static BigDecimal sumOfQuantities(List<JsonNode> bodies) {
        return bodies.stream().map(b -> b.get("usageQuantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Inject
    protected jakarta.persistence.EntityManager em;

    /** @return the {@code data} of the notifications of this type written about this test's org, oldest first */
    protected List<JsonNode> notified(String type) {
        List<?> bodies = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT body FROM"
                + " notification WHERE subject = ?1 AND type = ?2 ORDER BY created_at, id", String.class)
                .setParameter(1, orgId).setParameter(2, type).getResultList());
        List<JsonNode> data = new ArrayList<>();
        for (Object body : bodies) {
            try {
                data.add(JSON.readTree((String) body).path("data"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return data;
    }

    protected String eventStatus(String eventId) {
        return TestEvents.ingest().get("/v1/usage-events/{id}", eventId).then().statusCode(200).extract()
                .path("status");
    }
}
