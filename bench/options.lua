-- The HTTP ceiling: OPTIONS on the ingest path is answered by the same HTTP stack without touching the store.
wrk.method = "OPTIONS"
