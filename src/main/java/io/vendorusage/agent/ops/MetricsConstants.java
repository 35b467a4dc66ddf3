package io.vendorusage.agent.ops;

/**
 * Every meter the agent publishes, with its description and its tag keys. Micrometer names use dots;
 * the Prometheus exposition turns {@code vendorusage.events.ingested} into
 * {@code vendorusage_events_ingested_total}. Tags are bounded: never an organization id.
 */
public final class MetricsConstants {

    private MetricsConstants() {
    }

    public static final String TAG_REASON = "reason";

    public static final String EVENTS_INGESTED = "vendorusage.events.ingested";
    public static final String EVENTS_INGESTED_DESCRIPTION = "Usage events accepted and durably stored";

    public static final String EVENTS_DUPLICATE = "vendorusage.events.duplicate";
    public static final String EVENTS_DUPLICATE_DESCRIPTION = "Usage events resent with an id already stored, counted once";

    public static final String INGEST_REJECTED = "vendorusage.ingest.rejected";
    public static final String INGEST_REJECTED_DESCRIPTION = "Ingest requests refused, by reason (problem type)";

    public static final String OUTBOX_PENDING = "vendorusage.outbox.pending.events";
    public static final String OUTBOX_PENDING_DESCRIPTION = "Events stored but not yet submitted upstream";

    public static final String OUTBOX_OLDEST_PENDING_AGE = "vendorusage.outbox.oldest.pending.age.seconds";
    public static final String OUTBOX_OLDEST_PENDING_AGE_DESCRIPTION = "Age of the oldest pending event (since it was received)";

    public static final String OUTBOX_PURGED = "vendorusage.outbox.purged";
    public static final String OUTBOX_PURGED_DESCRIPTION = "Submitted events deleted after the retention period";

    public static final String JOB_FAILURES = "vendorusage.job.failures";
    public static final String JOB_FAILURES_DESCRIPTION = "Scheduled job runs that ended in an exception, by job";
    public static final String TAG_JOB = "job";
}
