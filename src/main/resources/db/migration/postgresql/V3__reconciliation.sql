-- Reconciliation: each run's report, the billing periods learnt from the upstream, and an audit
-- trail of every decision taken on an uncertain record.
CREATE TABLE billing_period (
    organization_id VARCHAR(36)              NOT NULL,
    period_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    region          VARCHAR(32),
    fetched_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT billing_period_pk PRIMARY KEY (organization_id)
);

CREATE TABLE reconciliation_run (
    id                 VARCHAR(40)              NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP WITH TIME ZONE,
    outcome            VARCHAR(16)              NOT NULL,
    regions_queried    INTEGER                  NOT NULL,
    organizations_seen INTEGER                  NOT NULL,
    upstream_calls     INTEGER                  NOT NULL,
    row_count          INTEGER                  NOT NULL,
    missing            VARCHAR(2000),
    CONSTRAINT reconciliation_run_pk PRIMARY KEY (id)
);
CREATE INDEX reconciliation_run_started_ix ON reconciliation_run (started_at);

CREATE SEQUENCE reconciliation_row_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE reconciliation_row (
    id                 BIGINT                   NOT NULL,
    run_id             VARCHAR(40)              NOT NULL,
    organization_id    VARCHAR(36)              NOT NULL,
    app_id             VARCHAR(128)             NOT NULL,
    region             VARCHAR(32),
    period_start       TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end         TIMESTAMP WITH TIME ZONE NOT NULL,
    period_source      VARCHAR(16)              NOT NULL,
    mode               VARCHAR(16)              NOT NULL,
    upstream_quantity  NUMERIC(24, 6),
    confirmed_quantity NUMERIC(24, 6)           NOT NULL,
    recent_quantity    NUMERIC(24, 6)           NOT NULL,
    uncertain_quantity NUMERIC(24, 6)           NOT NULL,
    pending_quantity   NUMERIC(24, 6)           NOT NULL,
    status             VARCHAR(24)              NOT NULL,
    note               VARCHAR(500),
    CONSTRAINT reconciliation_row_pk PRIMARY KEY (id)
);
CREATE INDEX reconciliation_row_run_ix ON reconciliation_row (run_id, status);

CREATE SEQUENCE settlement_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE settlement (
    id                 BIGINT                   NOT NULL,
    submission_id      VARCHAR(64)              NOT NULL,
    run_id             VARCHAR(40)              NOT NULL,
    decided_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    decision           VARCHAR(16)              NOT NULL,
    upstream_quantity  NUMERIC(24, 6),
    confirmed_quantity NUMERIC(24, 6)           NOT NULL,
    uncertain_quantity NUMERIC(24, 6)           NOT NULL,
    note               VARCHAR(500),
    CONSTRAINT settlement_pk PRIMARY KEY (id)
);
CREATE INDEX settlement_submission_ix ON settlement (submission_id);
