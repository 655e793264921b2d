-- Plain CRUD resources (webhooks, ...) share one table: each row is one JSON document of a named
-- collection, keyed by its integer id. Behaviour (defaults, events) lives in the code, not in a table
-- and row type per resource.
CREATE TABLE IF NOT EXISTS records (
    collection TEXT    NOT NULL,
    id         INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (collection, id)
);
