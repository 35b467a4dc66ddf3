-- The submission ledger: one row per usage record (one upstream POST), with its state machine.
-- The id is derived from (organization, app, bucket start, revision), so replaying a plan after a
-- crash finds the same record instead of minting a new one.
CREATE TABLE submission (
    id                  VARCHAR(64)              NOT NULL,
    organization_id     VARCHAR(36)              NOT NULL,
    app_id              VARCHAR(128)             NOT NULL,
    bucket_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    revision            INTEGER                  NOT NULL,
    mode                VARCHAR(16)              NOT NULL,
    quantity            NUMERIC(24, 6)           NOT NULL,
    event_count         INTEGER                  NOT NULL,
    state               VARCHAR(16)              NOT NULL,
    attempts            INTEGER                  NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner         VARCHAR(64),
    lease_until         TIMESTAMP WITH TIME ZONE,
    last_outcome        VARCHAR(32),
    last_http_status    INTEGER,
    last_error_code     VARCHAR(128),
    last_error_message  VARCHAR(1000),
    last_correlation_id VARCHAR(128),
    confirmation        VARCHAR(256),
    upstream_id         VARCHAR(128),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sent_at        TIMESTAMP WITH TIME ZONE,
    confirmed_at        TIMESTAMP WITH TIME ZONE,
    version             BIGINT                   NOT NULL DEFAULT 0,
    CONSTRAINT submission_pk PRIMARY KEY (id),
    CONSTRAINT submission_revision_uk UNIQUE (organization_id, app_id, bucket_start, revision),
    CONSTRAINT submission_state_ck CHECK (state IN ('PLANNED', 'SENDING', 'CONFIRMED', 'UNCERTAIN', 'FAILED')),
    CONSTRAINT submission_mode_ck CHECK (mode IN ('SUM', 'HIGH_WATER_MARK')),
    CONSTRAINT submission_quantity_ck CHECK (quantity >= 0)
);

CREATE INDEX submission_due_ix ON submission (state, next_attempt_at);
CREATE INDEX submission_state_confirmed_ix ON submission (state, confirmed_at);

-- Shared upstream throttling: a Retry-After (or exhausted rate-limit window) holds every agent
-- on this store, across restarts, until it has passed.
CREATE TABLE upstream_throttle (
    id            VARCHAR(32)              NOT NULL,
    blocked_until TIMESTAMP WITH TIME ZONE NOT NULL,
    reason        VARCHAR(200)             NOT NULL,
    CONSTRAINT upstream_throttle_pk PRIMARY KEY (id)
);
