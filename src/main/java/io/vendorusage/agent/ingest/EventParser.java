package io.vendorusage.agent.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.vendorusage.agent.http.Problem.FieldError;
import io.vendorusage.agent.http.Problems;
import io.vendorusage.agent.outbox.NewEvent;

/**
 * Reads an ingest body into validated events, or refuses it naming every bad event (by array index), field and
 * reason: {@link BodyReader} takes the body apart, {@link EventRules} judges each event; all or nothing.
 */
@ApplicationScoped
public class EventParser {

    /** Largest body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Most events in one request. */
    public static final int MAX_EVENTS = 1000;

    private final BodyReader body;
    private final EventRules rules;

    EventParser(BodyReader body, EventRules rules) {
        this.body = body;
        this.rules = rules;
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
    public List<NewEvent> parse(byte[] raw, Instant now, BodyForm form, boolean backfill) {
        List<JsonNode> items = body.items(raw, form);
        List<FieldError> errors = new ArrayList<>();
        List<NewEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            NewEvent event = rules.judge(i, items.get(i), form, now, backfill, errors);
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
}
