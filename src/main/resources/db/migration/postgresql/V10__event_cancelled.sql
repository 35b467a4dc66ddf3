-- When the vendor's app cancelled the event (DELETE /v1/usage-events/{id}) before a record carrying it went
-- beyond planned: a cancelled event is never billed. NULL for every other event; the only write an event row
-- ever gets after its insert.
ALTER TABLE outbox_event ADD COLUMN cancelled_at TIMESTAMP WITH TIME ZONE;
