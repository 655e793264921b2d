-- Kino's history: one row per event, the same AppEvent payload the WebSocket carries, kept as a JSON
-- string in `data` (Kino stores and returns it as text).
CREATE TABLE IF NOT EXISTS history (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    movie_id     INTEGER,
    episode_id   INTEGER,
    event_type   TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    source_title TEXT    NOT NULL DEFAULT '',
    quality      TEXT,
    download_id  INTEGER,
    data         TEXT
);
