package io.vendorusage.agent.observability;

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

    public static final String EVENTS_CANCELLED = "vendorusage.events.cancelled";
    public static final String EVENTS_CANCELLED_DESCRIPTION = "Usage events cancelled by the vendor's app before they were sent, by app";

    public static final String INGEST_REJECTED = "vendorusage.ingest.rejected";
    public static final String INGEST_REJECTED_DESCRIPTION = "Ingest requests refused, by reason (problem type)";
    public static final String INGEST_QUEUE_EVENTS = "vendorusage.ingest.queue.events";
    public static final String INGEST_QUEUE_EVENTS_DESCRIPTION = "Events waiting for the outbox writer or its commit";
    public static final String INGEST_COMMIT_EVENTS = "vendorusage.ingest.commit.events";
    public static final String INGEST_COMMIT_EVENTS_DESCRIPTION = "Events stored per outbox commit (group commit size)";

    public static final String OUTBOX_PENDING = "vendorusage.outbox.pending.events";
    public static final String OUTBOX_PENDING_DESCRIPTION = "Events stored but not yet submitted upstream";

    public static final String OUTBOX_OLDEST_PENDING_AGE = "vendorusage.outbox.oldest.pending.age.seconds";
    public static final String OUTBOX_OLDEST_PENDING_AGE_DESCRIPTION = "Age of the oldest pending event (since it was received)";

    public static final String OUTBOX_PURGED = "vendorusage.outbox.purged";
    public static final String OUTBOX_PURGED_DESCRIPTION = "Submitted events deleted after the retention period";

    public static final String JOB_FAILURES = "vendorusage.job.failures";
    public static final String JOB_FAILURES_DESCRIPTION = "Scheduled job runs that ended in an exception, by job";
    public static final String TAG_JOB = "task";

    public static final String TAG_APP = "app";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_ENDPOINT = "endpoint";
    public static final String TAG_STATUS = "status";
    public static final String TAG_STATE = "state";
    public static final String TAG_DECISION = "decision";
    /** The app tag's value for an app that is not configured, so tags stay bounded. */
    public static final String OTHER_APP = "other";

    public static final String SUBMISSIONS = "vendorusage.submissions";
    public static final String SUBMISSIONS_DESCRIPTION = "Usage record send attempts, by app and classified outcome";

    public static final String SUBMISSION_DURATION = "vendorusage.submission.duration";
    public static final String SUBMISSION_DURATION_DESCRIPTION = "Time of one usage POST to the upstream";

    public static final String UPSTREAM_REQUESTS = "vendorusage.upstream.requests";
    public static final String UPSTREAM_REQUESTS_DESCRIPTION = "Upstream calls by endpoint and HTTP status (or io-error, timeout)";

    public static final String UPSTREAM_RATE_LIMITED = "vendorusage.upstream.rate.limited";
    public static final String UPSTREAM_RATE_LIMITED_DESCRIPTION = "Upstream answers that set a rate-limit hold (429, Retry-After, spent window)";

    public static final String UPSTREAM_BLOCKED_SECONDS = "vendorusage.upstream.blocked.seconds";
    public static final String UPSTREAM_BLOCKED_SECONDS_DESCRIPTION = "Seconds until upstream calls may resume (0 when not held)";

    public static final String LEDGER_RECORDS = "vendorusage.ledger.records";
    public static final String LEDGER_RECORDS_DESCRIPTION = "Usage records in the ledger, by state";

    public static final String CIRCUIT_OPEN = "vendorusage.circuit.open";
    public static final String CIRCUIT_OPEN_DESCRIPTION = "1 while the upstream circuit breaker is open (or half-open)";

    public static final String TOKEN_REFRESH = "vendorusage.token.refresh";
    public static final String TOKEN_REFRESH_DESCRIPTION = "OAuth token requests, by outcome";

    public static final String DRAIN_SECONDS = "vendorusage.submission.drain.seconds";
    public static final String DRAIN_SECONDS_DESCRIPTION = "Seconds the upstream rate budget needs to send every planned record (with the current hold)";
    public static final String RECORDS_DUE = "vendorusage.submission.records.due";
    public static final String RECORDS_DUE_DESCRIPTION = "Planned records waiting for their POST";
    public static final String OLDEST_DUE_PERIOD_CLOSE = "vendorusage.submission.oldest.due.period.close.seconds";
    public static final String OLDEST_DUE_PERIOD_CLOSE_DESCRIPTION = "Seconds until the soonest close among the org billing periods holding each org's oldest planned record (the UTC month's close when none is planned)";
    public static final String PERIOD_CLOSE = "vendorusage.period.close.seconds";
    public static final String PERIOD_CLOSE_DESCRIPTION = "Seconds until the soonest-closing org billing period holding overdue events closes (else the soonest holding unconfirmed usage, else the UTC month)";
    public static final String PERIOD_OVERDUE_EVENTS = "vendorusage.period.overdue.events";
    public static final String PERIOD_OVERDUE_EVENTS_DESCRIPTION = "Events of org billing periods still open that are not yet confirmed upstream although their window closed more than 15 minutes (after its grace) ago";
    public static final String LAST_CONFIRMED = "vendorusage.submission.last.confirmed.timestamp.seconds";
    public static final String LAST_CONFIRMED_DESCRIPTION = "When the upstream last confirmed a usage record (Unix seconds, 0 if never)";

    public static final String RECONCILIATION_RUNS = "vendorusage.reconciliation.runs";
    public static final String RECONCILIATION_RUNS_DESCRIPTION = "Reconciliation runs by outcome (success, partial, failed)";

    public static final String RECONCILIATION_LAST_SUCCESS = "vendorusage.reconciliation.last.success.timestamp.seconds";
    public static final String RECONCILIATION_LAST_SUCCESS_DESCRIPTION = "When a reconciliation run last completed, fully or partially (Unix seconds)";

    public static final String RECONCILIATION_ROWS = "vendorusage.reconciliation.rows";
    public static final String RECONCILIATION_ROWS_DESCRIPTION = "Rows of the latest reconciliation report, by status";

    public static final String RECONCILIATION_DRIFT = "vendorusage.reconciliation.drift.quantity";
    public static final String RECONCILIATION_DRIFT_DESCRIPTION = "Absolute difference between upstream and confirmed usage over drift rows, summed per app";

    public static final String UNCERTAIN_SETTLED = "vendorusage.uncertain.settled";
    public static final String UNCERTAIN_SETTLED_DESCRIPTION = "Uncertain records settled by reconciliation, by decision (confirmed, resent, held)";

    public static final String PERIOD_FETCHES = "vendorusage.billing.period.fetches";
    public static final String PERIOD_FETCHES_DESCRIPTION = "Org detail requests for a customer org's billing period, by outcome (upstream, failed)";

    public static final String PERIOD_ASSUMED_DECISIONS = "vendorusage.billing.period.assumed.decisions";
    public static final String PERIOD_ASSUMED_DECISIONS_DESCRIPTION = "Money decisions taken while the org's billing period was not known, by decision (peak-sent, not-merged, not-closed)";

    public static final String CREDENTIALS_REJECTED = "vendorusage.upstream.credentials.rejected";
    public static final String CREDENTIALS_REJECTED_DESCRIPTION = "1 while the login service rejects the OAuth client credentials (bad.credentials, credentials.expired, ip.not.authorized), else 0";

    public static final String BILLING_DELAY = "vendorusage.billing.delay";
    public static final String BILLING_DELAY_DESCRIPTION = "Time from an event's arrival to the confirmation of the record that first bills it, by app mode";
    public static final String TAG_MODE = "mode";

    public static final String BILLING_DELAY_OBJECTIVE = "vendorusage.billing.delay.objective.seconds";
    public static final String BILLING_DELAY_OBJECTIVE_DESCRIPTION = "The objective for the 99th percentile of the billing delay (agent.submission.billing-delay-objective)";

    public static final String UPSTREAM_CALLS_LAST_HOUR = "vendorusage.upstream.calls.last.hour";
    public static final String UPSTREAM_CALLS_LAST_HOUR_DESCRIPTION = "Upstream calls this agent made in the last hour (every call: usage POSTs, org details, listing pages, tokens)";
    public static final String UPSTREAM_BUDGET_PER_HOUR = "vendorusage.upstream.budget.per.hour";
    public static final String UPSTREAM_BUDGET_PER_HOUR_DESCRIPTION = "Upstream calls the rate budget allows in an hour (agent.genesys.rate-limit-per-minute times 60)";

    public static final String NOTIFICATIONS = "vendorusage.notifications";
    public static final String NOTIFICATIONS_DESCRIPTION = "Notification delivery attempts by type and outcome (delivered, failed and retried, dropped past max-age)";
    public static final String NOTIFICATIONS_PENDING = "vendorusage.notifications.pending";
    public static final String NOTIFICATIONS_PENDING_DESCRIPTION = "Notifications written but not yet delivered";
    public static final String NOTIFICATIONS_OLDEST_PENDING_AGE = "vendorusage.notifications.oldest.pending.age.seconds";
    public static final String NOTIFICATIONS_OLDEST_PENDING_AGE_DESCRIPTION = "Age of the oldest undelivered notification";
}
