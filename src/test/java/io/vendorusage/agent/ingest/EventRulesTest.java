package io.vendorusage.agent.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem.FieldError;
import io.vendorusage.agent.outbox.NewEvent;

/** The rules one event must meet, without Quarkus: a configuration with one app. */
class EventRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String ORG = "3F6B2C1E-8A7D-4E55-9C1B-2D4F6A8B0C9E";
    // as the ingest reads bodies: decimals exact, never through a double
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A configuration answering only what the rules ask: the apps, and a lateness of two days. */
    private static AgentConfig config(Map<String, AgentConfig.App> apps) {
        AgentConfig.Ingest ingest = (AgentConfig.Ingest) Proxy.newProxyInstance(EventRulesTest.class.getClassLoader(),
                new Class<?>[] { AgentConfig.Ingest.class }, (p, m, a) -> m.getName().equals("maxLateness")
                        ? Duration.ofDays(2) : null);
        return (AgentConfig) Proxy.newProxyInstance(EventRulesTest.class.getClassLoader(),
                new Class<?>[] { AgentConfig.class }, (p, m, a) -> switch (m.getName()) {
                    case "apps" -> apps;
                    case "ingest" -> ingest;
                    default -> null;
                });
    }

    private final EventRules rules = new EventRules(config(Map.of("premium-minutes",
            (AgentConfig.App) Proxy.newProxyInstance(EventRulesTest.class.getClassLoader(),
                    new Class<?>[] { AgentConfig.App.class }, (p, m, a) -> null))));

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String event(String extra) {
        return "{'eventId':'e-1','organizationId':'" + ORG + "','appId':'premium-minutes','quantity':2.5"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private NewEvent judge(String text, boolean backfill, List<FieldError> errors) {
        return rules.judge(3, json(text), BodyForm.JSON, NOW, backfill, errors);
    }

    private List<FieldError> errorsOf(String text) {
        List<FieldError> errors = new ArrayList<>();
        assertNull(judge(text, false, errors), text);
        assertFalse(errors.isEmpty());
        errors.forEach(e -> assertEquals(3, e.index(), "errors name the item's index"));
        return errors;
    }

    private static String fields(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.reason()).toList().toString();
    }

    @Test
    void aValidEventIsTakenWithItsOrgInLowerCaseAndNowForAMissingTime() {
        List<FieldError> errors = new ArrayList<>();
        NewEvent e = judge(event(""), false, errors);
        assertTrue(errors.isEmpty(), fields(errors));
        assertEquals("e-1", e.eventId());
        assertEquals(ORG.toLowerCase(), e.organizationId());
        assertEquals("premium-minutes", e.appId());
        assertEquals(0, new BigDecimal("2.5").compareTo(e.quantity()));
        assertEquals(NOW, e.occurredAt());
        assertTrue(e.occurredAtDefaulted());
    }

    @Test
    void aGivenTimeIsKeptToTheMicrosecond() {
        NewEvent e = judge(event("'occurredAt':'2026-12-07T13:59:30.1234567+02:00'"), false, new ArrayList<>());
        assertNotNull(e);
        assertEquals(Instant.parse("2026-12-07T11:59:30.123456Z"), e.occurredAt());
        assertFalse(e.occurredAtDefaulted());
    }

    @Test
    void eachFieldMustBeOfItsJsonType() {
        assertEquals("[quantity: must be a JSON number, not string]",
                fields(errorsOf(event("").replace("2.5", "'2.5'"))));
        assertEquals("[quantity: must be a JSON number, not null]", fields(errorsOf(event("").replace("2.5", "null"))));
        assertEquals("[eventId: must be a JSON string, not number]", fields(errorsOf(event("").replace("'e-1'", "7"))));
        assertEquals("[occurredAt: must be a JSON string, not boolean]", fields(errorsOf(event("'occurredAt':true"))));
        assertEquals("[appId: must be a JSON string, not null]",
                fields(errorsOf(event("").replace("'premium-minutes'", "null"))));
    }

    @Test
    void requiredFieldsAndTheirFormsAreChecked() {
        assertEquals("[quantity: is required]", fields(errorsOf(event("").replace(",'quantity':2.5", ""))));
        assertEquals("[organizationId: must be a UUID]", fields(errorsOf(event("").replace(ORG, "acme"))));
        assertEquals("[quantity: must be zero or more]", fields(errorsOf(event("").replace("2.5", "-1"))));
        assertTrue(fields(errorsOf(event("").replace("2.5", "1.1234567"))).contains("6 decimals"));
        assertEquals("[eventId: must be 1 to 128 characters of letters, digits and . _ : -]",
                fields(errorsOf(event("").replace("'e-1'", "'e 1'"))));
    }

    @Test
    void aQuantityHasAtMostEighteenIntegerDigitsAndSixDecimalsComparedByValue() {
        for (String fits : List.of("0", "-0", "0.000001", "1.50000000", "999999999999999999", "1E+17",
                "999999999999999999.999999")) {
            assertNotNull(judge(event("").replace("2.5", fits), false, new ArrayList<>()), fits);
        }
        for (String tooLong : List.of("0.0000001", "1000000000000000000", "1E+18", "1.1234567")) {
            assertEquals("[quantity: must have at most 18 integer digits and 6 decimals]",
                    fields(errorsOf(event("").replace("2.5", tooLong))), tooLong);
        }
        assertEquals("[quantity: must be zero or more]", fields(errorsOf(event("").replace("2.5", "-0.000001"))));
    }

    @Test
    void aMissingFieldIsNamedOnceAndEveryBrokenFieldIsNamed() {
        assertEquals("[eventId: is required, organizationId: is required, appId: is required, quantity: is required]",
                fields(errorsOf("{}")));
        // an appId of the wrong form is not also called an unconfigured app
        assertEquals("[organizationId: must be a UUID,"
                + " appId: must be 1 to 128 characters, without control characters or surrounding spaces]",
                fields(errorsOf(event("").replace(ORG, "acme").replace("'premium-minutes'", "' premium'"))));
    }

    @Test
    void anUnknownFieldOrAppIsRefused() {
        assertEquals("[quantty: is not a known field]", fields(errorsOf(event("'quantty':1"))));
        assertEquals("[appId: is not a configured app (agent.apps)]",
                fields(errorsOf(event("").replace("premium-minutes", "premium-other"))));
        assertEquals("[null: must be a JSON object]", fields(errorsOf("[1]")));
    }

    @Test
    void theTimeMayBeAtMostFiveMinutesAheadAndTwoDaysBehindOutsideABackfill() {
        String ahead = "'occurredAt':'" + NOW.plus(Duration.ofMinutes(5)) + "'";
        assertNotNull(judge(event(ahead), false, new ArrayList<>()), "five minutes ahead is taken");
        assertEquals("[occurredAt: must not be more than 5 minutes in the future]",
                fields(errorsOf(event("'occurredAt':'" + NOW.plus(Duration.ofMinutes(5)).plusSeconds(1) + "'"))));
        String late = "'occurredAt':'" + NOW.minus(Duration.ofDays(2)) + "'";
        assertNotNull(judge(event(late), false, new ArrayList<>()), "exactly the lateness limit is taken");
        String older = "'occurredAt':'" + NOW.minus(Duration.ofDays(2)).minusSeconds(1) + "'";
        assertTrue(fields(errorsOf(event(older))).contains("older than agent.ingest.max-lateness"));
        List<FieldError> errors = new ArrayList<>();
        assertNotNull(judge(event(older), true, errors), "a backfill takes it: " + fields(errors));
        assertEquals("[occurredAt: must be an ISO-8601 date-time with an offset or Z, e.g. 2026-01-31T12:00:00Z]",
                fields(errorsOf(event("'occurredAt':'2026-12-07 12:00'"))));
    }

    @Test
    void aCloudEventIsJudgedByTheSameRulesUnderItsOwnNames() {
        String cloudEvent = "{'specversion':'1.0','id':'ce-1','source':'/app','type':'premium-minutes',"
                + "'subject':'" + ORG + "','data':{'quantity':'4'}}";
        List<FieldError> errors = new ArrayList<>();
        assertNull(rules.judge(0, json(cloudEvent), BodyForm.CLOUD_EVENT, NOW, false, errors));
        assertEquals("[data.quantity: must be a JSON number, not string]", fields(errors));
        errors.clear();
        NewEvent e = rules.judge(0, json(cloudEvent.replace("'4'", "4")), BodyForm.CLOUD_EVENT, NOW, false, errors);
        assertTrue(errors.isEmpty(), fields(errors));
        assertEquals("ce-1", e.eventId());
        assertEquals(ORG.toLowerCase(), e.organizationId());
        assertEquals("premium-minutes", e.appId());
        errors.clear();
        assertNull(rules.judge(0, json(cloudEvent.replace("'4'", "4").replace("premium-minutes", "premium-other")),
                BodyForm.CLOUD_EVENT,
                NOW, false, errors));
        assertEquals("[type: is not a configured app (agent.apps)]", fields(errors), "named as it was sent");
        errors.clear();
        assertNull(rules.judge(0, json("[1]"), BodyForm.CLOUD_EVENT, NOW, false, errors));
        assertEquals("[null: must be a JSON object (a CloudEvent)]", fields(errors));
    }

    @Test
    void everyBrokenFieldOfAnEventIsNamedAndLongNamesAreCut() {
        assertEquals("[eventId: must be a JSON string, not number, organizationId: must be a UUID]",
                fields(errorsOf(event("").replace("'e-1'", "7").replace(ORG, "acme"))));
        String name64 = "x".repeat(64);
        assertEquals("[" + name64 + ": is not a known field]", fields(errorsOf(event("'" + name64 + "':1"))));
        assertEquals("[" + name64 + "...: is not a known field]", fields(errorsOf(event("'" + name64 + "y':1"))));
    }
}
