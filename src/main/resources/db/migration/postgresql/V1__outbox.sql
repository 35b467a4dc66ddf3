-- The outbox: every accepted usage event, durably, until it is submitted and past retention.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
CREATE SEQUENCE outbox_event_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE outbox_event (
    id                    BIGINT                   NOT NULL,
    event_id              VARCHAR(128)             NOT NULL,
    organization_id       VARCHAR(36)              NOT NULL,
    app_id                VARCHAR(128)             NOT NULL,
    quantity              NUMERIC(24, 6)           NOT NULL,
    occurred_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    occurred_at_defaulted BOOLEAN                  NOT NULL,
    -- start (UTC) of the aggregation window the event falls in, fixed when it is accepted
    bucket_start          TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    status                VARCHAR(16)              NOT NULL,
    submission_id         VARCHAR(64),
    submitted_at          TIMESTAMP WITH TIME ZONE,
    version               BIGINT                   NOT NULL DEFAULT 0,
    CONSTRAINT outbox_event_pk PRIMARY KEY (id),
    CONSTRAINT outbox_event_event_id_uk UNIQUE (event_id),
    CONSTRAINT outbox_event_quantity_ck CHECK (quantity >= 0),
    CONSTRAINT outbox_event_status_ck CHECK (status IN ('PENDING', 'SUBMITTED', 'FAILED'))
);

-- Backlog gauges look at pending events by receive time; the purge at submitted ones by age;
-- the planner groups unplanned pending events by window and claims them by record.
CREATE INDEX outbox_event_status_received_ix ON outbox_event (status, received_at);
CREATE INDEX outbox_event_unplanned_ix ON outbox_event (status, submission_id, bucket_start, organization_id, app_id);
CREATE INDEX outbox_event_submission_ix ON outbox_event (submission_id);
CREATE INDEX outbox_event_status_submitted_ix ON outbox_event (status, submitted_at);
