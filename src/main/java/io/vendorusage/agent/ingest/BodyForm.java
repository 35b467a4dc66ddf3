package io.vendorusage.agent.ingest;

/** The shapes an ingest body may take, by its content type. */
public enum BodyForm {
    /** {@code application/json}: one event object or an array of 1..1000. */
    JSON,
    /** {@code application/cloudevents+json}: one CloudEvent in structured mode. */
    CLOUD_EVENT,
    /** {@code application/cloudevents-batch+json}: an array of 1..1000 CloudEvents. */
    CLOUD_EVENT_BATCH;

    public static final String CLOUD_EVENT_TYPE = "application/cloudevents+json";
    public static final String CLOUD_EVENT_BATCH_TYPE = "application/cloudevents-batch+json";

    /** @return the form a request's content type names (its parameters ignored); JSON for any other */
    static BodyForm of(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case CLOUD_EVENT_TYPE -> CLOUD_EVENT;
            case CLOUD_EVENT_BATCH_TYPE -> CLOUD_EVENT_BATCH;
            default -> JSON;
        };
    }

    /** @return the 415 answer to a body of any other content type */
    static io.vendorusage.agent.http.ProblemException unsupported() {
        return new io.vendorusage.agent.http.ProblemException(415, "unsupported-media-type", "Unsupported Media Type",
                "Send the body as application/json, " + CLOUD_EVENT_TYPE + " or " + CLOUD_EVENT_BATCH_TYPE + ".");
    }
}
