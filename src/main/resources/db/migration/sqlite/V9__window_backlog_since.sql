-- When the events now waiting in a window began to arrive (set when its backlog starts, kept while it grows):
-- agent.submission.max-hold counts from the later of the window's due time and this. The same as PostgreSQL's V9.
ALTER TABLE outbox_window ADD COLUMN backlog_since TEXT;
