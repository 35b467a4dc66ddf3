-- The embedded store on SQLite, created at once in the shape the PostgreSQL migrations V1 to V6 reach, so
-- that both stores stand at version 6 and a later migration can be written once for both where its SQL is
-- portable. STRICT tables refuse a value of the wrong kind instead of storing it.
-- Value forms (see StoreValues): a timestamp is TEXT, UTC, fixed width with microseconds
-- ('2026-01-31T12:00:00.000000Z'), so text order is time order; a quantity is TEXT holding the exact decimal
-- (SQLite has no exact decimal type; the agent's sum/max/min on its connections are exact). An id is the
-- row id (INTEGER PRIMARY KEY), given by SQLite on insert.

CREATE TABLE outbox_event (
    id                    INTEGER PRIMARY KEY,
    event_id              TEXT    NOT NULL,
    organization_id       TEXT    NOT NULL,
    app_id                TEXT    NOT NULL,
    quantity              TEXT    NOT NULL,
    occurred_at           TEXT    NOT NULL,
    occurred_at_defaulted INTEGER NOT NULL,
    -- start (UTC) of the aggregation window the event falls in, fixed when it is accepted
    bucket_start          TEXT    NOT NULL,
    received_at           TEXT    NOT NULL,
    -- the event's ordinal in its window, in commit order
    window_seq            INTEGER NOT NULL,
    CONSTRAINT outbox_event_event_id_uk UNIQUE (event_id),
    CONSTRAINT outbox_event_quantity_ck CHECK (CAST(quantity AS REAL) >= 0)
) STRICT;
CREATE UNIQUE INDEX outbox_event_window_seq_uk ON outbox_event (organization_id, app_id, bucket_start, window_seq);

CREATE TABLE outbox_window (
    organization_id TEXT    NOT NULL,
    app_id          TEXT    NOT NULL,
    bucket_start    TEXT    NOT NULL,
    event_count     INTEGER NOT NULL,
    planned_count   INTEGER NOT NULL,
    has_backlog     INTEGER NOT NULL,
    CONSTRAINT outbox_window_pk PRIMARY KEY (organization_id, app_id, bucket_start),
    CONSTRAINT outbox_window_counts_ck CHECK (planned_count >= 0 AND planned_count <= event_count)
) STRICT;
CREATE INDEX outbox_window_backlog_ix ON outbox_window (has_backlog, bucket_start);

CREATE TABLE submission (
    id                  TEXT    NOT NULL,
    organization_id     TEXT    NOT NULL,
    app_id              TEXT    NOT NULL,
    bucket_start        TEXT    NOT NULL,
    revision            INTEGER NOT NULL,
    mode                TEXT    NOT NULL,
    quantity            TEXT    NOT NULL,
    event_count         INTEGER NOT NULL,
    state               TEXT    NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT    NOT NULL,
    lease_owner         TEXT,
    lease_until         TEXT,
    last_outcome        TEXT,
    last_http_status    INTEGER,
    last_error_code     TEXT,
    last_error_message  TEXT,
    last_correlation_id TEXT,
    confirmation        TEXT,
    upstream_id         TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    last_sent_at        TEXT,
    confirmed_at        TEXT,
    version             INTEGER NOT NULL DEFAULT 0,
    first_received_at   TEXT,
    CONSTRAINT submission_pk PRIMARY KEY (id),
    CONSTRAINT submission_revision_uk UNIQUE (organization_id, app_id, bucket_start, revision),
    CONSTRAINT submission_state_ck CHECK (state IN ('PLANNED', 'SENDING', 'CONFIRMED', 'UNCERTAIN', 'FAILED')),
    CONSTRAINT submission_mode_ck CHECK (mode IN ('SUM', 'HIGH_WATER_MARK')),
    CONSTRAINT submission_quantity_ck CHECK (CAST(quantity AS REAL) >= 0)
) STRICT;
CREATE INDEX submission_due_ix ON submission (state, next_attempt_at);
CREATE INDEX submission_state_confirmed_ix ON submission (state, confirmed_at);

CREATE TABLE submission_window (
    submission_id   TEXT    NOT NULL,
    organization_id TEXT    NOT NULL,
    app_id          TEXT    NOT NULL,
    bucket_start    TEXT    NOT NULL,
    first_seq       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    CONSTRAINT submission_window_pk PRIMARY KEY (organization_id, app_id, bucket_start, first_seq),
    CONSTRAINT submission_window_range_ck CHECK (first_seq >= 1 AND last_seq >= first_seq)
) STRICT;
CREATE INDEX submission_window_submission_ix ON submission_window (submission_id);

CREATE TABLE upstream_throttle (
    id            TEXT NOT NULL,
    blocked_until TEXT NOT NULL,
    reason        TEXT NOT NULL,
    CONSTRAINT upstream_throttle_pk PRIMARY KEY (id)
) STRICT;

CREATE TABLE billing_period (
    organization_id TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    region          TEXT,
    fetched_at      TEXT NOT NULL,
    CONSTRAINT billing_period_pk PRIMARY KEY (organization_id)
) STRICT;

CREATE TABLE reconciliation_run (
    id                 TEXT    NOT NULL,
    started_at         TEXT    NOT NULL,
    finished_at        TEXT,
    outcome            TEXT    NOT NULL,
    regions_queried    INTEGER NOT NULL,
    organizations_seen INTEGER NOT NULL,
    upstream_calls     INTEGER NOT NULL,
    row_count          INTEGER NOT NULL,
    missing            TEXT,
    CONSTRAINT reconciliation_run_pk PRIMARY KEY (id)
) STRICT;
CREATE INDEX reconciliation_run_started_ix ON reconciliation_run (started_at);

CREATE TABLE reconciliation_row (
    id                 INTEGER PRIMARY KEY,
    run_id             TEXT NOT NULL,
    organization_id    TEXT NOT NULL,
    app_id             TEXT NOT NULL,
    region             TEXT,
    period_start       TEXT NOT NULL,
    period_end         TEXT NOT NULL,
    period_source      TEXT NOT NULL,
    mode               TEXT NOT NULL,
    upstream_quantity  TEXT,
    confirmed_quantity TEXT NOT NULL,
    recent_quantity    TEXT NOT NULL,
    uncertain_quantity TEXT NOT NULL,
    pending_quantity   TEXT NOT NULL,
    status             TEXT NOT NULL,
    note               TEXT
) STRICT;
CREATE INDEX reconciliation_row_run_ix ON reconciliation_row (run_id, status);

CREATE TABLE settlement (
    id                 INTEGER PRIMARY KEY,
    submission_id      TEXT NOT NULL,
    run_id             TEXT NOT NULL,
    decided_at         TEXT NOT NULL,
    decision           TEXT NOT NULL,
    upstream_quantity  TEXT,
    confirmed_quantity TEXT NOT NULL,
    uncertain_quantity TEXT NOT NULL,
    note               TEXT
) STRICT;
CREATE INDEX settlement_submission_ix ON settlement (submission_id);

-- One row that readiness rewrites after an ingest commit failed (a full disk, a read-only volume).
CREATE TABLE store_probe (
    id         INTEGER NOT NULL,
    checked_at TEXT    NOT NULL,
    CONSTRAINT store_probe_pk PRIMARY KEY (id)
) STRICT;
INSERT INTO store_probe (id, checked_at) VALUES (1, '1970-01-01T00:00:00.000000Z');
