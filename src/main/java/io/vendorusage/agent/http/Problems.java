package io.vendorusage.agent.http;

import java.util.List;

/** Factory for the refusals the API answers with; the type names are part of the documented API. */
public final class Problems {

    /** Base of every problem type URI. */
    public static final String TYPE_BASE = "https://vendorusage.io/problems/";

    private Problems() {
    }

    public static ProblemException invalid(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(400, "invalid-request", "The request is invalid", detail, errors);
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "malformed-json", "The body is not valid JSON", detail);
    }

    public static ProblemException conflict(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(409, "event-conflict", "An event id was reused with different content", detail,
                errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "The request is too large", detail);
    }

    /** The agent cannot take the request now (saturated, shutting down); nothing was stored. */
    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "ingest-saturated", "The agent is busy", detail, null, retryAfterSeconds);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Missing or wrong bearer token", detail);
    }
}
