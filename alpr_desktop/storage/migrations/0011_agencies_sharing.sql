-- 0011: the agency registry, sharing requests and their evidence packages (issue 15; policy
-- §1, §5; AG bulletin 2023-DLE-06; State Auditor 2019-118), and the store's signing key for
-- evidence packages.

CREATE TABLE agencies (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL UNIQUE,           -- casefolded, for "already registered"
    kind              TEXT NOT NULL CHECK (kind IN ('law_enforcement', 'prosecutorial', 'other')),
    jurisdiction      TEXT NOT NULL CHECK (jurisdiction IN ('california_state',
                          'california_local', 'out_of_state', 'federal', 'private')),
    jurisdiction_note TEXT NOT NULL DEFAULT '',
    contact           TEXT NOT NULL,
    added_by          TEXT NOT NULL,
    added_ms          INTEGER NOT NULL,
    approved_by       TEXT NOT NULL DEFAULT '',
    approved_ms       INTEGER,
    withdrawn_by      TEXT NOT NULL DEFAULT '',
    withdrawn_ms      INTEGER,
    withdraw_reason   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sharing_requests (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    requester_name    TEXT NOT NULL,
    requester_badge   TEXT NOT NULL,
    requester_contact TEXT NOT NULL,
    case_number       TEXT NOT NULL,
    offense           TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    asked_for         TEXT NOT NULL,
    received_by       TEXT NOT NULL,
    received_ms       INTEGER NOT NULL,
    recorded_ms       INTEGER NOT NULL,
    status            TEXT NOT NULL DEFAULT 'received' CHECK (status IN
                          ('received', 'prepared', 'approved', 'refused', 'disclosed')),
    read_ids          TEXT NOT NULL DEFAULT '[]',     -- JSON array: reads may be purged later
    prepared_by       TEXT NOT NULL DEFAULT '',
    prepared_ms       INTEGER,
    response_note     TEXT NOT NULL DEFAULT '',
    decided_by        TEXT NOT NULL DEFAULT '',
    decided_ms        INTEGER,
    decision_note     TEXT NOT NULL DEFAULT '',
    disclosed_by      TEXT NOT NULL DEFAULT '',
    disclosed_ms      INTEGER,
    manifest_sha256   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sharing_requests_status ON sharing_requests(status, received_ms);

-- The store's evidence-package signing key: the private half AES-GCM-wrapped under a key
-- derived from the store's data key (never in clear, even inside the encrypted file).
CREATE TABLE package_signing_keys (
    id          INTEGER PRIMARY KEY,
    public_key  TEXT NOT NULL UNIQUE,                -- hex, raw Ed25519
    fingerprint TEXT NOT NULL,
    wrapped     TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE TRIGGER package_signing_keys_no_update BEFORE UPDATE ON package_signing_keys BEGIN
    SELECT RAISE(ABORT, 'package signing keys are never changed');
END;
