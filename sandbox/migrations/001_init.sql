-- One row (id = 1) holds the sandbox's credential and the Kino config singleton.
-- The Kino fields live in one JSON column: the sandbox mirrors ~70 of them, and a
-- JSON object lets a newer sandbox add fields (with their defaults) without a migration.
CREATE TABLE IF NOT EXISTS config (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    api_key  TEXT    NOT NULL,
    settings TEXT    NOT NULL DEFAULT '{}'
);
