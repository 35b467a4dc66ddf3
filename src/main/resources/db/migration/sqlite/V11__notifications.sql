-- Outbound notifications and the usage tallies of thresholds: the same shape as PostgreSQL's V11.
CREATE TABLE notification (
    id              TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    subject         TEXT,
    body            TEXT    NOT NULL,
    once_key        TEXT,
    created_at      TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    lease_owner     TEXT,
    lease_until     TEXT,
    finished_at     TEXT,
    last_error      TEXT,
    CONSTRAINT notification_pk PRIMARY KEY (id),
    CONSTRAINT notification_once_uq UNIQUE (once_key)
) STRICT;
CREATE INDEX notification_due_ix ON notification (state, next_attempt_at);
CREATE INDEX notification_created_ix ON notification (created_at);

CREATE TABLE notification_attempt (
    notification_id TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    attempted_at    TEXT    NOT NULL,
    agent           TEXT    NOT NULL,
    http_status     INTEGER,
    error           TEXT,
    duration_ms     INTEGER NOT NULL,
    CONSTRAINT notification_attempt_pk PRIMARY KEY (notification_id, attempt)
) STRICT;

CREATE TABLE usage_tally (
    organization_id TEXT NOT NULL,
    app_id          TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    quantity        TEXT NOT NULL,
    peak            TEXT NOT NULL,
    CONSTRAINT usage_tally_pk PRIMARY KEY (organization_id, app_id, period_start)
) STRICT;
ALTER TABLE outbox_window ADD COLUMN tallied_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_window_untallied_ix ON outbox_window (app_id) WHERE event_count > tallied_count;
