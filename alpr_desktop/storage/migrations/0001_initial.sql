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

-- Trigram index over distinct plates for substring and wildcard search.
CREATE VIRTUAL TABLE plates_fts USING fts5(
    plate_norm, content='plates', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER plates_fts_ai AFTER INSERT ON plates BEGIN
    INSERT INTO plates_fts(rowid, plate_norm) VALUES (new.id, new.plate_norm);
END;
CREATE TRIGGER plates_fts_ad AFTER DELETE ON plates BEGIN
    INSERT INTO plates_fts(plates_fts, rowid, plate_norm) VALUES ('delete', old.id, old.plate_norm);
END;

CREATE TABLE reads (
    id             INTEGER PRIMARY KEY,
    plate_id       INTEGER NOT NULL REFERENCES plates(id),
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
    corrected_by   TEXT,
    UNIQUE (source, vendor_read_id)
);
CREATE INDEX reads_plate_time ON reads(plate_id, recorded_at, id);
CREATE INDEX reads_time ON reads(recorded_at, id);
CREATE INDEX reads_camera_time ON reads(camera_id, recorded_at);

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
