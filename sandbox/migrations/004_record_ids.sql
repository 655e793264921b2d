-- Each collection numbers its records from its own sequence, so the id of a deleted record is never
-- given to a new one (a client may still hold it, in a cache or a URL).
CREATE TABLE IF NOT EXISTS record_ids (
    collection TEXT    PRIMARY KEY,
    last_id    INTEGER NOT NULL
);
INSERT OR IGNORE INTO record_ids (collection, last_id)
    SELECT collection, MAX(id) FROM records GROUP BY collection;
