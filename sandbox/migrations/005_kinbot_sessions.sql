-- KinBot's sign-in (Better Auth): the sandbox's one account, and the sessions signed in to it. A session
-- outlives a restart, as Better Auth's rows do; sign-out deletes it.
CREATE TABLE IF NOT EXISTS kinbot_users (
    id         TEXT    PRIMARY KEY,
    email      TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kinbot_sessions (
    token      TEXT    PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    user_id    TEXT    NOT NULL REFERENCES kinbot_users (id),
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    user_agent TEXT    NOT NULL
);
