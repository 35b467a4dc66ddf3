-- Outbox v2: an event row is written once, at ingest, and never again. Each event gets its ordinal in its
-- window (organization, app, window start): window_seq, assigned under a lock of the window's row in
-- outbox_window, so within a window the ordinals follow commit order. A record carries ranges of those
-- ordinals (submission_window), one per window it covers, and the window remembers how far records reach
-- (planned_count). Planning writes no event row; an event's status follows from the record whose range
-- holds it (none, or planned/sending/uncertain: pending; confirmed: submitted; failed: failed), so
-- confirming, failing, settling or retrying a record of any size rewrites that record's row alone.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode. Every pending event and every record is
-- kept; an event whose record was confirmed while its status update did not finish is submitted now.

CREATE TABLE outbox_window (
    organization_id VARCHAR(36)              NOT NULL,
    app_id          VARCHAR(128)             NOT NULL,
    bucket_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- events appended to the window so far: their window_seq are 1..event_count
    event_count     BIGINT                   NOT NULL,
    -- events 1..planned_count are carried by records
    planned_count   BIGINT                   NOT NULL,
    -- event_count > planned_count: events wait for planning
    has_backlog     BOOLEAN                  NOT NULL,
    CONSTRAINT outbox_window_pk PRIMARY KEY (organization_id, app_id, bucket_start),
    CONSTRAINT outbox_window_counts_ck CHECK (planned_count >= 0 AND planned_count <= event_count)
);
CREATE INDEX outbox_window_backlog_ix ON outbox_window (has_backlog, bucket_start);

CREATE TABLE submission_window (
    submission_id   VARCHAR(64)              NOT NULL,
    organization_id VARCHAR(36)              NOT NULL,
    app_id          VARCHAR(128)             NOT NULL,
    bucket_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    first_seq       BIGINT                   NOT NULL,
    last_seq        BIGINT                   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT submission_window_pk PRIMARY KEY (organization_id, app_id, bucket_start, first_seq),
    CONSTRAINT submission_window_range_ck CHECK (first_seq >= 1 AND last_seq >= first_seq)
);
CREATE INDEX submission_window_submission_ix ON submission_window (submission_id);

-- The record remembers when its oldest event arrived, so the backlog gauges need not read its events.
ALTER TABLE submission ADD COLUMN first_received_at TIMESTAMP WITH TIME ZONE;
UPDATE submission SET first_received_at = (
    SELECT MIN(e.received_at) FROM outbox_event e WHERE e.submission_id = submission.id)
  WHERE state IN ('PLANNED', 'SENDING', 'UNCERTAIN');

-- Ordinals for the events already stored: within a window, the events of each record together (records in
-- revision order), then the events no record carries yet, so every record holds one contiguous range.
CREATE TABLE outbox_event_ordinal AS
  SELECT e.id AS id, ROW_NUMBER() OVER (PARTITION BY e.organization_id, e.app_id, e.bucket_start
           ORDER BY CASE WHEN e.submission_id IS NULL THEN 1 ELSE 0 END, s.revision, e.submission_id, e.id) AS seq
    FROM outbox_event e LEFT JOIN submission s ON s.id = e.submission_id;
CREATE INDEX outbox_event_ordinal_ix ON outbox_event_ordinal (id);
ALTER TABLE outbox_event ADD COLUMN window_seq BIGINT;
UPDATE outbox_event SET window_seq = (SELECT o.seq FROM outbox_event_ordinal o WHERE o.id = outbox_event.id);
DROP TABLE outbox_event_ordinal;
ALTER TABLE outbox_event ALTER COLUMN window_seq SET NOT NULL;

INSERT INTO outbox_window (organization_id, app_id, bucket_start, event_count, planned_count, has_backlog)
  SELECT organization_id, app_id, bucket_start, COUNT(*),
         SUM(CASE WHEN submission_id IS NULL THEN 0 ELSE 1 END),
         SUM(CASE WHEN submission_id IS NULL THEN 1 ELSE 0 END) > 0
    FROM outbox_event GROUP BY organization_id, app_id, bucket_start;
INSERT INTO submission_window (submission_id, organization_id, app_id, bucket_start, first_seq, last_seq, created_at)
  SELECT submission_id, organization_id, app_id, bucket_start, MIN(window_seq), MAX(window_seq), CURRENT_TIMESTAMP
    FROM outbox_event WHERE submission_id IS NOT NULL
    GROUP BY submission_id, organization_id, app_id, bucket_start;

DROP INDEX outbox_event_status_received_ix;
DROP INDEX outbox_event_unplanned_ix;
DROP INDEX outbox_event_submission_ix;
DROP INDEX outbox_event_status_submitted_ix;
ALTER TABLE outbox_event DROP CONSTRAINT outbox_event_status_ck;
ALTER TABLE outbox_event DROP COLUMN status;
ALTER TABLE outbox_event DROP COLUMN submitted_at;
ALTER TABLE outbox_event DROP COLUMN version;
ALTER TABLE outbox_event DROP COLUMN submission_id;

-- A window's events by ordinal: planning sums a range, a record's events are a range, the oldest waiting
-- event of a window is the one after planned_count.
CREATE UNIQUE INDEX outbox_event_window_seq_uk ON outbox_event (organization_id, app_id, bucket_start, window_seq);
