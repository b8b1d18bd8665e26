-- 0001: cameras, reads, distinct plates with their OCR-class key and trigram index, images,
-- settings and the hash-chained, append-only access log.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cameras (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    location  TEXT NOT NULL DEFAULT '',
    latitude  REAL,
    longitude REAL,
    heading   TEXT NOT NULL DEFAULT '',
    active    INTEGER NOT NULL DEFAULT 1
);

-- One row per distinct normalized plate (as read or as an alternate candidate).
CREATE TABLE plates (
    id         INTEGER PRIMARY KEY,
    plate_norm TEXT NOT NULL UNIQUE,
    ocr_key    TEXT NOT NULL
);
CREATE INDEX plates_ocr_key ON plates(ocr_key);

-- Counts plate deletions (purges), so that a cache of plate ids knows when it may be stale.
CREATE TABLE plate_deletions (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO plate_deletions(id, n) VALUES (1, 0);

-- Trigram index over distinct plates for substring and wildcard search. Rows are added in bulk
-- by storage/plates.py (resolve_plate_ids), the only writer of plates: an AFTER INSERT trigger
-- makes FTS5 flush per row and costs four times as much. Deletes (purge) go through the
-- trigger below, and a plate row never changes, so the index cannot drift from the table.
CREATE VIRTUAL TABLE plates_fts USING fts5(
    plate_norm, content='plates', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER plates_fts_ad AFTER DELETE ON plates BEGIN
    INSERT INTO plates_fts(plates_fts, rowid, plate_norm) VALUES ('delete', old.id, old.plate_norm);
    UPDATE plate_deletions SET n = n + 1;
END;
CREATE TRIGGER plates_no_update BEFORE UPDATE ON plates BEGIN
    SELECT RAISE(ABORT, 'a plate row never changes; insert another');
END;

CREATE TABLE reads (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    plate_id       INTEGER NOT NULL,       -- plates(id); guarded by the triggers below
    plate          TEXT NOT NULL,          -- as read by the camera
    state          TEXT NOT NULL DEFAULT '',
    recorded_at    INTEGER NOT NULL,       -- UTC seconds since the epoch
    camera_id      INTEGER NOT NULL REFERENCES cameras(id),
    direction      TEXT NOT NULL DEFAULT '',
    make           TEXT NOT NULL DEFAULT '',
    model          TEXT NOT NULL DEFAULT '',
    color          TEXT NOT NULL DEFAULT '',
    body_type      TEXT NOT NULL DEFAULT '',
    speed          REAL,
    confidence     REAL NOT NULL DEFAULT 0,
    candidates     TEXT NOT NULL DEFAULT '[]',  -- JSON list of [plate, confidence]
    source         TEXT NOT NULL DEFAULT '',
    vendor_read_id TEXT,
    corrected_plate TEXT,
    corrected_at   INTEGER,
    corrected_by   TEXT
);
-- Re-imports do not duplicate. Partial: reads without a vendor id cost no index entry.
CREATE UNIQUE INDEX reads_vendor ON reads(source, vendor_read_id)
    WHERE vendor_read_id IS NOT NULL;
-- Every index entry ends with the rowid (= id), so (plate_id, recorded_at) is ordered and
-- covered as (plate_id, recorded_at, id) without storing id twice.
CREATE INDEX reads_plate_time ON reads(plate_id, recorded_at);
CREATE INDEX reads_time ON reads(recorded_at);
-- No (camera_id, recorded_at) index: searches start from plates and filter cameras on the few
-- reads found, and the index cost 5 % of the insert rate. Add it when a camera-first query
-- (maintenance: last read per camera) needs it.

-- reads.plate_id is checked by triggers rather than a foreign key: ids are only ever assigned
-- by storage/plates.py inside the inserting transaction, and a per-row parent lookup would cost
-- a fifth of the bulk insert rate. The triggers keep what the key would guarantee: no plate
-- that a read refers to can be deleted, and no update can point a read at a missing plate.
CREATE TRIGGER plates_in_use BEFORE DELETE ON plates
WHEN EXISTS (SELECT 1 FROM reads WHERE plate_id = old.id) BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: a read refers to this plate');
END;
CREATE TRIGGER reads_plate_exists BEFORE UPDATE OF plate_id ON reads
WHEN NOT EXISTS (SELECT 1 FROM plates WHERE id = new.plate_id) BEGIN
    SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: no such plate');
END;

-- The reader's alternate candidates, so fuzzy search can find a read by any of them.
CREATE TABLE read_candidates (
    plate_id INTEGER NOT NULL REFERENCES plates(id),
    read_id  INTEGER NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
    PRIMARY KEY (plate_id, read_id)
) WITHOUT ROWID;
CREATE INDEX read_candidates_read ON read_candidates(read_id);

CREATE TABLE images (
    id       INTEGER PRIMARY KEY,
    read_id  INTEGER NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('crop', 'overview')),
    format   TEXT NOT NULL,                 -- 'jpeg', 'png'
    data     BLOB NOT NULL,
    sha256   TEXT NOT NULL,
    size     INTEGER NOT NULL,
    width    INTEGER,
    height   INTEGER,
    bbox_x   INTEGER, bbox_y INTEGER, bbox_w INTEGER, bbox_h INTEGER,  -- plate in the overview
    UNIQUE (read_id, kind)
);

-- Append-only, hash-chained log (DESIGN rule 4). Text columns hold canonical JSON.
CREATE TABLE access_log (
    seq          INTEGER PRIMARY KEY,
    ts_ms        INTEGER NOT NULL,
    event        TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    username     TEXT NOT NULL,
    organization TEXT NOT NULL DEFAULT '',
    agency       TEXT NOT NULL DEFAULT '',
    workstation  TEXT NOT NULL DEFAULT '',
    purpose      TEXT NOT NULL DEFAULT '{}',
    query        TEXT NOT NULL DEFAULT '{}',
    result_count INTEGER,
    detail       TEXT NOT NULL DEFAULT '{}',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX access_log_ts ON access_log(ts_ms);
CREATE INDEX access_log_user ON access_log(username, ts_ms);
CREATE INDEX access_log_event ON access_log(event, ts_ms);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
