package io.vendorusage.agent.ingest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.vendorusage.agent.config.AgentConfig;
import io.vendorusage.agent.http.Problem.FieldError;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.outbox.NewEvent;

/**
 * Reads an ingest body into validated events, or refuses it naming every bad event (by array index),
 * field and reason. Types are checked on the JSON itself, so a quantity sent as a string, boolean or
 * null is refused rather than coerced.
 */
@ApplicationScoped
public class EventParser {

    /** Largest body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Most events in one request. */
    public static final int MAX_EVENTS = 1000;
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    private final ObjectReader reader;
    private final Validator validator;
    private final Clock clock;
    private final AgentConfig config;

    public EventParser(ObjectMapper mapper, Validator validator, Clock clock, AgentConfig config) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.validator = validator;
        this.clock = clock;
        this.config = config;
    }

    /**
     * @param body the raw request body
     * @return the events, in request order, with {@code occurredAt} defaulted to {@code now}
     * @throws io.vendorusage.agent.http.ProblemException 400 or 413 when anything is wrong
     */
    public List<NewEvent> parse(byte[] body, Instant now) {
        return parse(body, now, BodyForm.JSON);
    }

    /**
     * @param form how the body is to be read, by its content type
     * @see #parse(byte[], Instant)
     */
    public List<NewEvent> parse(byte[] body, Instant now, BodyForm form) {
        return parse(body, now, form, false);
    }

    /**
     * @param backfill whether the body is a backfill: {@code occurredAt} may then be older than
     *        {@code agent.ingest.max-lateness} (the caller judges it against the org's billing period)
     * @see #parse(byte[], Instant)
     */
    public List<NewEvent> parse(byte[] body, Instant now, BodyForm form, boolean backfill) {
        if (body.length > MAX_BODY_BYTES) {
            throw Problems.tooLarge("The body is " + body.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted.");
        }
        JsonNode root = readTree(body);
        List<JsonNode> items = new ArrayList<>();
        if (form == BodyForm.CLOUD_EVENT && !root.isObject()) {
            throw Problems.invalid("Send one CloudEvent as a JSON object; send an array of them as "
                    + BodyForm.CLOUD_EVENT_BATCH_TYPE + ".", List.of());
        }
        if (form == BodyForm.CLOUD_EVENT_BATCH && !root.isArray()) {
            throw Problems.invalid("Send a JSON array of 1 to " + MAX_EVENTS + " CloudEvents; send a single one as "
                    + BodyForm.CLOUD_EVENT_TYPE + ".", List.of());
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw Problems.invalid("The array holds no event; send 1 to " + MAX_EVENTS + ".", List.of());
            }
            if (root.size() > MAX_EVENTS) {
                throw Problems.tooLarge("The array holds " + root.size() + " events; at most " + MAX_EVENTS
                        + " are accepted in one request.");
            }
            root.forEach(items::add);
        } else if (root.isObject()) {
            items.add(root);
        } else {
            throw Problems.invalid("Send one event object or an array of 1 to " + MAX_EVENTS + " event objects.",
                    List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            NewEvent event = form == BodyForm.JSON ? toEvent(i, items.get(i), now, backfill, errors)
                    : cloudEvent(i, items.get(i), now, backfill, errors);
            if (event != null) {
                events.add(event);
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::index).thenComparing(e -> e.field() == null ? "" : e.field()));
            throw Problems.invalid(errors.size() == 1 ? "1 field is invalid; nothing was stored."
                    : errors.size() + " fields are invalid; nothing was stored.", errors);
        }
        return events;
    }

    private JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw Problems.malformed("The body is empty.");
        }
        try {
            JsonNode root = reader.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw Problems.malformed("The body is empty.");
            }
            return root;
        } catch (JacksonException e) {
            throw Problems.malformed(describe(e));
        } catch (IOException e) {
            throw Problems.malformed("The body could not be read.");
        }
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
        java.math.BigDecimal quantity = null;
        if (quantityNode != null && quantityNode.isNumber()) {
            quantity = quantityNode.decimalValue();
        } else if (quantityNode != null) {
            errors.add(new FieldError(index, "quantity", "must be a JSON number, not " + kind(quantityNode)));
        }
        UsageEventRequest request = new UsageEventRequest(eventId, organizationId, appId, quantity, occurredAtText);
        for (ConstraintViolation<UsageEventRequest> v : validator.validate(request)) {
            String field = v.getPropertyPath().toString();
            boolean typeAlreadyReported = errors.subList(before, errors.size()).stream()
                    .anyMatch(e -> field.equals(e.field()));
            if (!typeAlreadyReported) {
                errors.add(new FieldError(index, field, v.getMessage()));
            }
        }
        Map<String, AgentConfig.App> apps = config.apps();
        if (appId != null && !apps.isEmpty() && !apps.containsKey(appId)) {
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

    /** Jackson's message names the problem and position; keep it short and free of our class names. */
    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "The body is not valid JSON.";
        }
        message = message.length() > 200 ? message.substring(0, 200) + "..." : message;
        var location = e.getLocation();
        return location == null ? message
                : message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
