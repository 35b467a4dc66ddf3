package io.vendorusage.agent.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem.FieldError;
import io.vendorusage.agent.outbox.EventIds;
import io.vendorusage.agent.outbox.NewEvent;

/**
 * Judges one event item of an ingest body: the known fields only, each of its JSON type (a quantity sent as a
 * string, boolean or null is refused rather than coerced), each field's form (the patterns of {@link EventIds}, a
 * quantity of zero or more with at most 18 integer digits and 6 decimals), a
 * configured app, and an {@code occurredAt} neither in the future nor (outside a backfill) older than
 * {@code agent.ingest.max-lateness}. Errors are collected, named by item index and field.
 */
@ApplicationScoped
class EventRules {

    static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    private static final Pattern EVENT_ID = Pattern.compile(EventIds.EVENT_ID_PATTERN);
    private static final Pattern ORGANIZATION_ID = Pattern.compile(EventIds.ORGANIZATION_ID_PATTERN);
    private static final Pattern APP_ID = Pattern.compile(EventIds.APP_ID_PATTERN);
    static final int QUANTITY_INTEGER_DIGITS = 18;
    static final int QUANTITY_DECIMALS = 6;

    private final AgentConfig config;

    EventRules(AgentConfig config) {
        this.config = config;
    }

    /** @return the item as an event of the given form, or null when it broke a rule (added to {@code errors}) */
    NewEvent judge(int index, JsonNode item, BodyForm form, Instant now, boolean backfill, List<FieldError> errors) {
        return form == BodyForm.JSON ? toEvent(index, item, now, backfill, errors)
                : cloudEvent(index, item, now, backfill, errors);
    }

    /** A CloudEvent: its own attributes checked, then every rule of the JSON form, errors named as it was sent. */
    private NewEvent cloudEvent(int index, JsonNode node, Instant now, boolean backfill, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(index, null, "must be a JSON object (a CloudEvent)"));
            return null;
        }
        int before = errors.size();
        JsonNode form = CloudEvents.toEventForm(index, node, errors);
        List<FieldError> ruleErrors = new ArrayList<>();
        NewEvent event = toEvent(index, form, now, backfill, ruleErrors);
        ruleErrors.forEach(e -> errors.add(CloudEvents.renamed(e)));
        return errors.size() > before ? null : event;
    }

    private NewEvent toEvent(int index, JsonNode node, Instant now, boolean backfill, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(index, null, "must be a JSON object"));
            return null;
        }
        int before = errors.size();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!UsageEventRequest.FIELDS.contains(name)) {
                errors.add(new FieldError(index, truncate(name), "is not a known field"));
            }
        }
        String eventId = text(index, node, "eventId", errors);
        String organizationId = text(index, node, "organizationId", errors);
        String appId = text(index, node, "appId", errors);
        String occurredAtText = text(index, node, "occurredAt", errors);
        JsonNode quantityNode = node.get("quantity");
        BigDecimal quantity = null;
        if (quantityNode != null && quantityNode.isNumber()) {
            quantity = quantityNode.decimalValue();
        } else if (quantityNode != null) {
            errors.add(new FieldError(index, "quantity", "must be a JSON number, not " + kind(quantityNode)));
        }
        form(index, "eventId", eventId, EVENT_ID, "must be 1 to 128 characters of letters, digits and . _ : -",
                before, errors);
        form(index, "organizationId", organizationId, ORGANIZATION_ID, "must be a UUID", before, errors);
        boolean appIdFits = form(index, "appId", appId, APP_ID,
                "must be 1 to 128 characters, without control characters or surrounding spaces", before, errors);
        if (quantity == null) {
            required(index, "quantity", before, errors);
        } else if (quantity.signum() < 0) {
            errors.add(new FieldError(index, "quantity", "must be zero or more"));
        } else if (!fitsDigits(quantity)) {
            errors.add(new FieldError(index, "quantity", "must have at most " + QUANTITY_INTEGER_DIGITS
                    + " integer digits and " + QUANTITY_DECIMALS + " decimals"));
        }
        Map<String, AgentConfig.App> apps = config.apps();
        if (appIdFits && !apps.isEmpty() && !apps.containsKey(appId)) {
            errors.add(new FieldError(index, "appId", "is not a configured app (agent.apps)"));
        }
        Instant occurredAt = occurredAt(index, occurredAtText, now, backfill, errors);
        if (errors.size() > before) {
            return null;
        }
        boolean defaulted = occurredAtText == null;
        return new NewEvent(eventId, organizationId.toLowerCase(Locale.ROOT), appId, quantity,
                defaulted ? now : occurredAt, defaulted);
    }

    private Instant occurredAt(int index, String text, Instant now, boolean backfill, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(index, "occurredAt",
                    "must be an ISO-8601 date-time with an offset or Z, e.g. 2026-01-31T12:00:00Z"));
            return null;
        }
        if (instant.isAfter(now.plus(MAX_FUTURE))) {
            errors.add(new FieldError(index, "occurredAt", "must not be more than 5 minutes in the future"));
        } else if (!backfill && instant.isBefore(now.minus(config.ingest().maxLateness()))) {
            errors.add(new FieldError(index, "occurredAt",
                    "is older than agent.ingest.max-lateness (" + config.ingest().maxLateness()
                            + "); POST /v1/backfill/usage-events (admin token) takes it while its billing period is open"));
        }
        return instant;
    }

    /**
     * @return whether a string field is present and of its form; a field already refused for its JSON type is not
     *         named again
     */
    private static boolean form(int index, String field, String value, Pattern pattern, String rule,
            int before, List<FieldError> errors) {
        if (value == null) {
            required(index, field, before, errors);
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            errors.add(new FieldError(index, field, rule));
            return false;
        }
        return true;
    }

    /** Names a missing field, unless this item's errors since {@code before} already refused it for its JSON type. */
    private static void required(int index, String field, int before, List<FieldError> errors) {
        if (errors.subList(before, errors.size()).stream().noneMatch(e -> field.equals(e.field()))) {
            errors.add(new FieldError(index, field, "is required"));
        }
    }

    /** Compared by value: trailing zeros of the decimals do not count ({@code 1.50000000} fits). */
    static boolean fitsDigits(BigDecimal quantity) {
        BigDecimal stripped = quantity.stripTrailingZeros();
        int decimals = Math.max(stripped.scale(), 0);
        return stripped.precision() - stripped.scale() <= QUANTITY_INTEGER_DIGITS && decimals <= QUANTITY_DECIMALS;
    }

    /** A string field's value, null when absent; a JSON null or a non-string is an error. */
    private static String text(int index, JsonNode node, String field, List<FieldError> errors) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(index, field, "must be a JSON string, not " + kind(value)));
            return null;
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String truncate(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }
}
