-- Each customer org's billing periods as the org detail named them (one row per named period: a renewal that
-- moves the anchor wins from its start and the periods before it keep theirs), and the state of fetching the
-- current one, shared by every agent on this store so the fleet makes one detail GET per org and period.
CREATE TABLE org_billing_period (
    organization_id VARCHAR(36)              NOT NULL,
    period_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    source          VARCHAR(16)              NOT NULL,
    region          VARCHAR(32),
    fetched_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT org_billing_period_pk PRIMARY KEY (organization_id, period_start),
    CONSTRAINT org_billing_period_span_ck CHECK (period_end > period_start)
);

CREATE TABLE org_period_fetch (
    organization_id VARCHAR(36)              NOT NULL,
    -- no agent asks the upstream before this: the end of the period last named, or a backoff after a failure
    next_fetch_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    failures        INTEGER                  NOT NULL,
    -- the agent fetching it now holds it until then (a crashed agent's claim runs out)
    claimed_until   TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500),
    CONSTRAINT org_period_fetch_pk PRIMARY KEY (organization_id)
);

-- periods reconciliation learnt before: kept as named periods
INSERT INTO org_billing_period (organization_id, period_start, period_end, source, region, fetched_at)
SELECT organization_id, period_start, period_end, 'upstream', region, fetched_at FROM billing_period
WHERE period_end > period_start;
DROP TABLE billing_period;

-- which period a record's date was judged in: 'assumed' when it was planned without the org's period known
ALTER TABLE submission ADD COLUMN period_source VARCHAR(16) NOT NULL DEFAULT 'assumed';
