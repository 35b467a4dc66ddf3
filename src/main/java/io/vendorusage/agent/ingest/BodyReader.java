package io.vendorusage.agent.ingest;

import static io.vendorusage.agent.ingest.EventParser.MAX_BODY_BYTES;
import static io.vendorusage.agent.ingest.EventParser.MAX_EVENTS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.vendorusage.agent.http.Problems;

/**
 * Reads an ingest body into its event items: the size limit, strict JSON (no duplicate keys, nothing after the
 * value, decimals kept exact), and the shape its form asks for (one object, or an array of 1 to
 * {@link EventParser#MAX_EVENTS}). What each item says is {@link EventRules}'s to judge.
 */
@ApplicationScoped
class BodyReader {

    private final ObjectReader reader;

    BodyReader(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @return the body's event items, in request order
     * @throws io.vendorusage.agent.http.ProblemException 400 or 413 when the body is too large, not JSON or not of
     *         its form's shape
     */
    List<JsonNode> items(byte[] body, BodyForm form) {
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
        return items;
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
