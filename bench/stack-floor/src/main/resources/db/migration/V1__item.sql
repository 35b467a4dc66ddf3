CREATE TABLE item (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL
);
