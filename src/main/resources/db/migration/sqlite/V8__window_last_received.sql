-- When the newest event of a window arrived: a due window is planned once it has been quiet for
-- agent.submission.quiet (NULL for windows written before: taken as quiet). The same as PostgreSQL's V8.
ALTER TABLE outbox_window ADD COLUMN last_received_at TEXT;
