-- When the events now waiting in a window began to arrive (set when its backlog starts, kept while it grows):
-- agent.submission.max-hold counts from the later of the window's due time and this, so a replayed window of
-- a long-closed hour waits for quiet like a fresh one. NULL for windows written before: held from the due time.
ALTER TABLE outbox_window ADD COLUMN backlog_since TIMESTAMP WITH TIME ZONE;
