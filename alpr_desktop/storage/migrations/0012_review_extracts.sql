-- 0012: offline review extracts (issue 15). The City's record of each extract released (what,
-- to whom, why, until when, and the public key its reviewer's log is signed with), and the
-- reviewer logs imported back from extracts, entry by entry, each with its own chain hash as
-- the extract wrote it. All three tables are append-only.
CREATE TABLE extract_releases (
    extract_id      TEXT PRIMARY KEY,
    released_ms     INTEGER NOT NULL,
    released_by     TEXT NOT NULL,          -- username
    recipient_name  TEXT NOT NULL,
    organization    TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    case_number     TEXT NOT NULL,
    request_ref     TEXT,                   -- the sharing request it answers, when there is one
    expires_on      TEXT NOT NULL,          -- ISO date, site's zone
    read_count      INTEGER NOT NULL,
    manifest        TEXT NOT NULL,          -- the extract's own description (JSON)
    public_key      TEXT NOT NULL,          -- Ed25519, hex: verifies the reviewer's log
    key_fingerprint TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE reviewer_log_imports (
    id           INTEGER PRIMARY KEY,
    extract_id   TEXT NOT NULL REFERENCES extract_releases(extract_id),
    imported_ms  INTEGER NOT NULL,
    imported_by  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    head_seq     INTEGER NOT NULL,
    head_hash    TEXT NOT NULL,
    new_entries  INTEGER NOT NULL
);

CREATE TABLE reviewer_log_entries (
    extract_id   TEXT NOT NULL REFERENCES extract_releases(extract_id),
    seq          INTEGER NOT NULL,
    ts_ms        INTEGER NOT NULL,
    event        TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    username     TEXT NOT NULL,
    organization TEXT NOT NULL,
    agency       TEXT NOT NULL,
    workstation  TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    query        TEXT NOT NULL,
    result_count INTEGER,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES reviewer_log_imports(id),
    PRIMARY KEY (extract_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER extract_releases_no_update BEFORE UPDATE ON extract_releases BEGIN
    SELECT RAISE(ABORT, 'extract_releases is append-only');
END;
CREATE TRIGGER extract_releases_no_delete BEFORE DELETE ON extract_releases BEGIN
    SELECT RAISE(ABORT, 'extract_releases is append-only');
END;
CREATE TRIGGER reviewer_log_imports_no_update BEFORE UPDATE ON reviewer_log_imports BEGIN
    SELECT RAISE(ABORT, 'reviewer_log_imports is append-only');
END;
CREATE TRIGGER reviewer_log_imports_no_delete BEFORE DELETE ON reviewer_log_imports BEGIN
    SELECT RAISE(ABORT, 'reviewer_log_imports is append-only');
END;
CREATE TRIGGER reviewer_log_entries_no_update BEFORE UPDATE ON reviewer_log_entries BEGIN
    SELECT RAISE(ABORT, 'reviewer_log_entries is append-only');
END;
CREATE TRIGGER reviewer_log_entries_no_delete BEFORE DELETE ON reviewer_log_entries BEGIN
    SELECT RAISE(ABORT, 'reviewer_log_entries is append-only');
END;
