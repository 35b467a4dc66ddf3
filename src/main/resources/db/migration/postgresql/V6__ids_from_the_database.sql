-- The entities take their ids from the database on insert (Hibernate's IDENTITY strategy), the one way of
-- making ids that both stores share: SQLite has no sequences. The sequences stay: the ingest writer still
-- takes event ids in blocks of 50 from outbox_event_seq, and a default draws one value per row, which never
-- falls inside a block another writer holds.
ALTER TABLE outbox_event ALTER COLUMN id SET DEFAULT nextval('outbox_event_seq');
ALTER TABLE reconciliation_row ALTER COLUMN id SET DEFAULT nextval('reconciliation_row_seq');
ALTER TABLE settlement ALTER COLUMN id SET DEFAULT nextval('settlement_seq');
