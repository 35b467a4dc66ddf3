-- Outbox v2: an event row is written once, at ingest, and once more when planning assigns it to a record
-- (submission_id). Its status is no longer stored per event: it follows from the record that holds it
-- (none or planned/sending/uncertain: pending; confirmed: submitted; failed: failed), so confirming,
-- failing, settling or retrying a record touches that record's row only.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode. Every pending event and every record
-- is kept; an event whose record was confirmed while its status update did not finish is submitted now.

-- The record remembers when its oldest event arrived, so the backlog gauges need not read its events.
ALTER TABLE submission ADD COLUMN first_received_at TIMESTAMP WITH TIME ZONE;
UPDATE submission SET first_received_at = (
    SELECT MIN(e.received_at) FROM outbox_event e WHERE e.submission_id = submission.id)
  WHERE state IN ('PLANNED', 'SENDING', 'UNCERTAIN');

DROP INDEX outbox_event_status_received_ix;
DROP INDEX outbox_event_unplanned_ix;
DROP INDEX outbox_event_submission_ix;
DROP INDEX outbox_event_status_submitted_ix;
ALTER TABLE outbox_event DROP CONSTRAINT outbox_event_status_ck;
ALTER TABLE outbox_event DROP COLUMN status;
ALTER TABLE outbox_event DROP COLUMN submitted_at;
ALTER TABLE outbox_event DROP COLUMN version;

-- Planning claims the unassigned events of one (org, app) over a range of windows (equality first, the
-- range last), and groups unassigned events by window; a record's figures and the retention purge read
-- its events by submission_id; the backlog reads the oldest unassigned event.
CREATE INDEX outbox_event_plan_ix ON outbox_event (submission_id, organization_id, app_id, bucket_start);
CREATE INDEX outbox_event_received_ix ON outbox_event (submission_id, received_at);
