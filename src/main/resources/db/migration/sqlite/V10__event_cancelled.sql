-- When the vendor's app cancelled the event before a record carrying it went beyond planned: never billed.
-- The same as PostgreSQL's V10.
ALTER TABLE outbox_event ADD COLUMN cancelled_at TEXT;
