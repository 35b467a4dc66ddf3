package io.vendorusage.agent.http;

import java.util.List;

/** A request the agent refuses, carried to {@link ProblemMappers} and answered as a problem document. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        this(status, type, title, detail, errors, null);
    }

    /** A refusal the caller should retry after {@code retryAfterSeconds} (sent as {@code Retry-After}). */
    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return seconds for a {@code Retry-After} header, or null when the refusal is not worth retrying as is */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** @return the problem document for this refusal */
    public Problem toProblem() {
        return new Problem(Problems.TYPE_BASE + type, title, status, getMessage(), null, errors);
    }
}
