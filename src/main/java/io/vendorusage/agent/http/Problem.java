package io.vendorusage.agent.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary that does not change between occurrences
 * @param status the HTTP status
 * @param detail what went wrong this time
 * @param correlationId set on server errors, to find the one log line about it
 * @param errors for validation problems: one entry per bad field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String correlationId,
        List<FieldError> errors) {

    /** Content type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid field.
     *
     * @param index position of the event in the request array (0 for a single object), null when the
     *        problem is with the request as a whole
     * @param field the field name, null when the problem is with the whole event
     * @param reason what is wrong with it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(Integer index, String field, String reason) {
    }
}
