-- 0010: policy training attestations, account suspensions and separations, and the incident
-- register for breach notices (issue 17; policy §3 "Training", §10; State Auditor 2019-118).

-- One row per attested policy training. It counts only once a custodian other than the person
-- who recorded it (and not the trainee) has confirmed it.
CREATE TABLE training_attestations (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    trained_ms    INTEGER NOT NULL,              -- the day of the training (UTC ms)
    course        TEXT NOT NULL DEFAULT '',
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_ms   INTEGER NOT NULL,
    confirmed_by  INTEGER REFERENCES users(id),
    confirmed_ms  INTEGER,
    CHECK ((confirmed_by IS NULL) = (confirmed_ms IS NULL))
);
CREATE INDEX training_user ON training_attestations(user_id, trained_ms);

-- Accounts switched off by the hygiene rules: unused too long, or separated from the agency.
CREATE TABLE account_suspensions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    kind         TEXT NOT NULL CHECK (kind IN ('unused', 'separated')),
    at_ms        INTEGER NOT NULL,
    by_user_id   INTEGER REFERENCES users(id),  -- NULL: the program, automatically
    last_used_ms INTEGER,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_suspensions_user ON account_suspensions(user_id, at_ms);

-- The incident register (Civil Code 1798.29).
CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY,
    discovered_ms      INTEGER NOT NULL,
    breach_from_ms     INTEGER NOT NULL,
    breach_to_ms       INTEGER NOT NULL,
    what_happened      TEXT NOT NULL,
    data_involved      TEXT NOT NULL,
    data_from_ms       INTEGER,
    data_to_ms         INTEGER,
    encrypted          INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
    key_exposed        INTEGER NOT NULL CHECK (key_exposed IN (0, 1)),
    people_affected    INTEGER NOT NULL CHECK (people_affected >= 0),
    california_residents INTEGER NOT NULL CHECK (california_residents >= 0),
    actions_taken      TEXT NOT NULL,
    contact            TEXT NOT NULL DEFAULT '',
    recorded_by        INTEGER NOT NULL REFERENCES users(id),
    recorded_ms        INTEGER NOT NULL,
    notice_ms          INTEGER,
    CHECK (breach_from_ms <= breach_to_ms)
);
