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
}
