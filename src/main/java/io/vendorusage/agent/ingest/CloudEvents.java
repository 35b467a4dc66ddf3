package io.vendorusage.agent.ingest;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vendorusage.agent.http.Problem.FieldError;

/**
 * CloudEvents 1.0 in structured JSON mode, read as the agent's own event form: {@code id} → eventId,
 * {@code subject} → organizationId, {@code type} → appId, {@code time} → occurredAt, {@code data.quantity} →
 * quantity. The attributes are copied as they came (a number stays a number), so every rule of the JSON form
 * then applies unchanged; errors name the CloudEvents attribute. Extension attributes (lower-case letters and
 * digits, a string, number or boolean value) are accepted and not stored; any other top-level name is refused.
 */
final class CloudEvents {

    /** The agent's field → the attribute it comes from, to name errors as the sender wrote them. */
    static final Map<String, String> ATTRIBUTE_OF = Map.of("eventId", "id", "organizationId", "subject", "appId",
            "type", "occurredAt", "time", "quantity", "data.quantity");
    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "subject", "time",
            "datacontenttype", "dataschema", "data");
    /** CloudEvents 1.0: extension names are lower-case ASCII letters and digits (20 at most is advised). */
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,20}");

    private CloudEvents() {
    }

    /**
     * @return the event in the agent's JSON form; what is wrong with the attributes only CloudEvents has is
     *         added to {@code errors}
     */
    static ObjectNode toEventForm(int index, JsonNode event, List<FieldError> errors) {
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> attribute = it.next();
            String name = attribute.getKey();
            if (CONTEXT.contains(name)) {
                continue;
            }
            if (!EXTENSION.matcher(name).matches()) {
                errors.add(new FieldError(index, EventRules.truncate(name), name.equals("data_base64")
                        ? "is not accepted: send data as a JSON object" : "is not a CloudEvents attribute"
                                + " (extension names are 1 to 20 lower-case letters and digits)"));
            } else if (!attribute.getValue().isValueNode() || attribute.getValue().isNull()) {
                errors.add(new FieldError(index, name, "an extension attribute must be a string, number or boolean"));
            }
        }
        JsonNode version = event.get("specversion");
        if (version == null || !version.isTextual() || !"1.0".equals(version.textValue())) {
            errors.add(new FieldError(index, "specversion", "must be the string \"1.0\""));
        }
        JsonNode source = event.get("source");
        if (source == null || !source.isTextual() || source.textValue().isEmpty()) {
            errors.add(new FieldError(index, "source", "is required: a non-empty string (a URI-reference)"));
        }
        JsonNode contentType = event.get("datacontenttype");
        if (contentType != null && !(contentType.isTextual() && isJson(contentType.textValue()))) {
            errors.add(new FieldError(index, "datacontenttype", "must be application/json when given"));
        }
        JsonNode schema = event.get("dataschema");
        if (schema != null && !schema.isTextual()) {
            errors.add(new FieldError(index, "dataschema", "must be a string (a URI) when given"));
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            errors.add(new FieldError(index, "data", "is required: a JSON object holding quantity"));
        }
        ObjectNode form = JsonNodeFactory.instance.objectNode();
        copy(event, "id", form, "eventId");
        copy(event, "subject", form, "organizationId");
        copy(event, "type", form, "appId");
        copy(event, "time", form, "occurredAt");
        if (data != null && data.isObject()) {
            copy(data, "quantity", form, "quantity");
        }
        return form;
    }

    /** Names an error of the agent's form by the CloudEvents attribute it came from. */
    static FieldError renamed(FieldError error) {
        String attribute = error.field() == null ? null : ATTRIBUTE_OF.get(error.field());
        return attribute == null ? error : new FieldError(error.index(), attribute, error.reason());
    }

    private static void copy(JsonNode from, String attribute, ObjectNode to, String field) {
        JsonNode value = from.get(attribute);
        if (value != null) {
            to.set(field, value);
        }
    }

    private static boolean isJson(String mediaType) {
        String type = mediaType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }
}
