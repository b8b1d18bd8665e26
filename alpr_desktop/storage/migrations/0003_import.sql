-- 0003: import progress and rejects, so an import killed halfway resumes where it stopped and
-- the reject report covers every run of a file. Keyed by the file's SHA-256 and the import
-- configuration (format, mapping, image source). Rejects hold places and reasons, never values.

CREATE TABLE import_files (
    sha256       TEXT NOT NULL,
    config       TEXT NOT NULL,
    name         TEXT NOT NULL,
    format       TEXT NOT NULL,
    records_done INTEGER NOT NULL DEFAULT 0,
    accepted     INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    started_ms   INTEGER NOT NULL,
    finished_ms  INTEGER,
    PRIMARY KEY (sha256, config)
) WITHOUT ROWID;

CREATE TABLE import_rejects (
    sha256      TEXT NOT NULL,
    config      TEXT NOT NULL,
    record      INTEGER NOT NULL,       -- the record's position in the file, from 0
    line        INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    column_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sha256, config, record)
) WITHOUT ROWID;
