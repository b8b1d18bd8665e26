-- 0013: the contractor's maintenance log (30-day checks and problems with their downtime
-- windows) and corrections of misreads (policy §7; issue 16). A correction never changes the
-- read: it is a row of its own, and the read as the camera saw it stays.

-- One row per 30-day check; its results per item in maintenance_check_items.
CREATE TABLE maintenance_checks (
    id          INTEGER PRIMARY KEY,
    checked_ms  INTEGER NOT NULL,               -- when the check was done (UTC ms)
    checked_by  INTEGER NOT NULL REFERENCES users(id),
    notes       TEXT NOT NULL DEFAULT '',
    recorded_ms INTEGER NOT NULL
);
CREATE INDEX maintenance_checks_time ON maintenance_checks(checked_ms);

CREATE TABLE maintenance_check_items (
    check_id INTEGER NOT NULL REFERENCES maintenance_checks(id),
    item     TEXT NOT NULL,                     -- core.maintenance.CheckItem
    result   TEXT NOT NULL CHECK (result IN ('ok', 'problem', 'not_checked')),
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (check_id, item)
);

-- Problems: when found, what, which cameras, when the system did not work (from-to; an open
-- end while it still does not), what was done, when resolved.
CREATE TABLE maintenance_problems (
    id                INTEGER PRIMARY KEY,
    discovered_ms     INTEGER NOT NULL,
    description       TEXT NOT NULL,
    down_from_ms      INTEGER,
    down_to_ms        INTEGER,
    corrective_action TEXT NOT NULL DEFAULT '',
    resolved_ms       INTEGER,
    signal            TEXT NOT NULL DEFAULT '',  -- the health signal it was opened from
    recorded_by       INTEGER NOT NULL REFERENCES users(id),
    recorded_ms       INTEGER NOT NULL,
    updated_by        INTEGER REFERENCES users(id),
    updated_ms        INTEGER,
    CHECK (down_to_ms IS NULL OR down_from_ms IS NULL OR down_from_ms <= down_to_ms)
);
CREATE INDEX maintenance_problems_found ON maintenance_problems(discovered_ms);

CREATE TABLE maintenance_problem_cameras (
    problem_id INTEGER NOT NULL REFERENCES maintenance_problems(id),
    camera_id  INTEGER NOT NULL REFERENCES cameras(id),
    PRIMARY KEY (problem_id, camera_id)
);

-- Corrections of a read. At most one is in force per read (ended_ms IS NULL); a later one
-- ends the earlier ("superseded"), a revert ends it ("reverted"). NULL in a value column: that
-- value is not corrected. They go with the read when the purge deletes it (ON DELETE CASCADE);
-- the purge keeps a plate row a correction names (storage/retention.py).
CREATE TABLE read_corrections (
    id              INTEGER PRIMARY KEY,
    read_id         INTEGER NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
    plate_id        INTEGER,                    -- plates(id) of the corrected plate
    plate           TEXT,
    state           TEXT,
    make            TEXT,
    model           TEXT,
    color           TEXT,
    body_type       TEXT,
    reason          TEXT NOT NULL,
    evidence_kind   TEXT NOT NULL,              -- the image looked at: 'crop' or 'overview'
    evidence_sha256 TEXT NOT NULL,
    corrected_by    INTEGER NOT NULL REFERENCES users(id),
    corrected_ms    INTEGER NOT NULL,
    ended_ms        INTEGER,
    ended_by        INTEGER REFERENCES users(id),
    end_kind        TEXT CHECK (end_kind IN ('superseded', 'reverted')),
    end_reason      TEXT NOT NULL DEFAULT '',
    CHECK ((ended_ms IS NULL) = (end_kind IS NULL)),
    CHECK ((plate IS NULL) = (plate_id IS NULL))
);
CREATE INDEX read_corrections_read ON read_corrections(read_id);
CREATE UNIQUE INDEX read_corrections_in_force ON read_corrections(read_id)
    WHERE ended_ms IS NULL;
CREATE INDEX read_corrections_plate ON read_corrections(plate_id)
    WHERE ended_ms IS NULL AND plate_id IS NOT NULL;

-- The health signals' hourly counts per camera (counts and times, no plate), kept so that the
-- contractor's home screen groups only the hours that changed: a read added since (a higher
-- id than covered_to_id) marks its hour for counting again. Reads are never moved between
-- hours or cameras; the purge deletes only reads long outside the 90 days kept here.
CREATE TABLE health_hours (
    hour        INTEGER NOT NULL,               -- recorded_at / 3600
    camera_id   INTEGER NOT NULL,
    reads       INTEGER NOT NULL,
    first_s     INTEGER NOT NULL,
    last_s      INTEGER NOT NULL,
    same_second INTEGER NOT NULL,
    unreadable  INTEGER NOT NULL,
    PRIMARY KEY (hour, camera_id)
) WITHOUT ROWID;
CREATE TABLE health_cover (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    from_hour     INTEGER NOT NULL,             -- hours [from_hour, to_hour) are counted
    to_hour       INTEGER NOT NULL,
    covered_to_id INTEGER NOT NULL               -- every read with id <= this is counted
);
