-- One row that readiness rewrites after an ingest commit failed (a full disk, a read-only volume):
-- a read alone can succeed on a store that cannot take a write.
CREATE TABLE store_probe (
    id         INTEGER                  NOT NULL,
    checked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT store_probe_pk PRIMARY KEY (id)
);
INSERT INTO store_probe (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);
