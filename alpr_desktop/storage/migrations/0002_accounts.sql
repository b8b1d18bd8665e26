-- 0002: accounts, contractor written permissions, and declared purposes (policy §2, §3, §5).

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name            TEXT NOT NULL,
    organization         TEXT NOT NULL DEFAULT '',
    badge_number         TEXT NOT NULL DEFAULT '',
    sworn                INTEGER NOT NULL DEFAULT 0 CHECK (sworn IN (0, 1)),
    roles                TEXT NOT NULL DEFAULT '',   -- sorted comma list of role names
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until_ms      INTEGER,
    last_sign_in_ms      INTEGER,
    password_changed_ms  INTEGER,
    created_ms           INTEGER NOT NULL,
    updated_ms           INTEGER NOT NULL
);

-- The City's written permission for the contractor to access data (policy §2).
CREATE TABLE permissions (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL,             -- the document's reference
    contractor_user_id INTEGER NOT NULL REFERENCES users(id),
    purpose            TEXT NOT NULL,
    case_number        TEXT NOT NULL DEFAULT '',
    data_from          INTEGER NOT NULL,          -- UTC seconds, inclusive
    data_to            INTEGER NOT NULL,          -- UTC seconds, inclusive
    expires_ms         INTEGER NOT NULL,
    granted_by         INTEGER NOT NULL REFERENCES users(id),
    granted_ms         INTEGER NOT NULL,
    revoked_ms         INTEGER,
    revoked_by         INTEGER REFERENCES users(id),
    revoke_reason      TEXT NOT NULL DEFAULT '',
    CHECK (data_from <= data_to),
    CHECK (granted_ms < expires_ms)
);
CREATE INDEX permissions_contractor ON permissions(contractor_user_id, expires_ms);

-- One row per declared purpose; at most one open (not ended) purpose per user.
CREATE TABLE purposes (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    category          TEXT NOT NULL,
    offense           TEXT NOT NULL,
    case_number       TEXT NOT NULL,
    narrative         TEXT NOT NULL,
    requesting_agency TEXT NOT NULL DEFAULT '',
    requester_name    TEXT NOT NULL DEFAULT '',
    narrative_fp      TEXT NOT NULL,
    declared_ms       INTEGER NOT NULL,
    ended_ms          INTEGER,
    ended_reason      TEXT NOT NULL DEFAULT '',
    permission_id     INTEGER REFERENCES permissions(id)
);
CREATE UNIQUE INDEX purposes_one_open ON purposes(user_id) WHERE ended_ms IS NULL;
CREATE INDEX purposes_user ON purposes(user_id, declared_ms);
