-- Each customer org's billing periods as the org detail named them (one row per named period: a renewal that
-- moves the anchor wins from its start and the periods before it keep theirs), and the state of fetching the
-- current one. The same shape as PostgreSQL's V7.
CREATE TABLE org_billing_period (
    organization_id TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    source          TEXT NOT NULL,
    region          TEXT,
    fetched_at      TEXT NOT NULL,
    CONSTRAINT org_billing_period_pk PRIMARY KEY (organization_id, period_start),
    CONSTRAINT org_billing_period_span_ck CHECK (period_end > period_start)
) STRICT;

CREATE TABLE org_period_fetch (
    organization_id TEXT    NOT NULL,
    next_fetch_at   TEXT    NOT NULL,
    failures        INTEGER NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT,
    CONSTRAINT org_period_fetch_pk PRIMARY KEY (organization_id)
) STRICT;

INSERT INTO org_billing_period (organization_id, period_start, period_end, source, region, fetched_at)
SELECT organization_id, period_start, period_end, 'upstream', region, fetched_at FROM billing_period
WHERE period_end > period_start;
DROP TABLE billing_period;

ALTER TABLE submission ADD COLUMN period_source TEXT NOT NULL DEFAULT 'assumed';
