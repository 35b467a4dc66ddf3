-- Outbound notifications (signed webhooks), written in the transaction of the change they tell of and
-- delivered at least once from here: one agent at a time holds a notification's lease while it is in flight.
CREATE TABLE notification (
    id              VARCHAR(64)              NOT NULL,
    type            VARCHAR(64)              NOT NULL,
    subject         VARCHAR(36),
    -- the CloudEvent exactly as sent: every retry carries the same bytes under the same id
    body            TEXT                     NOT NULL,
    -- set for notifications told once per key (a usage threshold of one org period): a second is never written
    once_key        VARCHAR(300),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- pending, delivered or dropped (undelivered past agent.notifications.max-age)
    state           VARCHAR(16)              NOT NULL,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner     VARCHAR(64),
    lease_until     TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500),
    CONSTRAINT notification_pk PRIMARY KEY (id),
    CONSTRAINT notification_once_uq UNIQUE (once_key)
);
CREATE INDEX notification_due_ix ON notification (state, next_attempt_at);
CREATE INDEX notification_created_ix ON notification (created_at);

CREATE TABLE notification_attempt (
    notification_id VARCHAR(64)              NOT NULL,
    attempt         INTEGER                  NOT NULL,
    attempted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    agent           VARCHAR(64)              NOT NULL,
    -- the receiver's status, NULL when none came (refused, timed out)
    http_status     INTEGER,
    error           VARCHAR(500),
    duration_ms     BIGINT                   NOT NULL,
    CONSTRAINT notification_attempt_pk PRIMARY KEY (notification_id, attempt)
);

-- Accepted usage per org, app and the org's billing period, for usage thresholds: each window's events are
-- counted once (outbox_window.tallied_count), in the transaction that notifies the thresholds they cross.
CREATE TABLE usage_tally (
    organization_id VARCHAR(36)              NOT NULL,
    app_id          VARCHAR(128)             NOT NULL,
    period_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    quantity        NUMERIC(30, 6)           NOT NULL,
    peak            NUMERIC(24, 6)           NOT NULL,
    CONSTRAINT usage_tally_pk PRIMARY KEY (organization_id, app_id, period_start)
);
ALTER TABLE outbox_window ADD COLUMN tallied_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_window_untallied_ix ON outbox_window (app_id) WHERE event_count > tallied_count;
