-- 0007: retention (policy §8, issue 14): purge records and evidence holds. (The FTS5 trigram
-- index is switched to secure-delete by storage/retention.py before the first purge, where the
-- SQLite version is known to have it.)

-- One row per purge run that deleted something, written in the same transaction as each batch
-- it deleted (so a run killed midway leaves a record of exactly what it removed, never more).
-- No plate and no read id: counts, the span of recorded_at removed, who or what ran it.
CREATE TABLE purges (
    id               INTEGER PRIMARY KEY,
    started_ms       INTEGER NOT NULL,
    finished_ms      INTEGER,                 -- NULL: the run stopped before it finished
    reads_deleted    INTEGER NOT NULL DEFAULT 0,
    images_deleted   INTEGER NOT NULL DEFAULT 0,
    plates_deleted   INTEGER NOT NULL DEFAULT 0,
    oldest_recorded  INTEGER,                 -- UTC seconds
    newest_recorded  INTEGER,
    cutoff           INTEGER NOT NULL,        -- reads recorded at or before this were due
    retention_months INTEGER NOT NULL,
    ran_by           TEXT NOT NULL,           -- a username, or the scheduled task
    workstation      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX purges_started ON purges(started_ms);
CREATE TRIGGER purges_no_delete BEFORE DELETE ON purges BEGIN
    SELECT RAISE(ABORT, 'purge records are kept');
END;

-- Evidence holds (LAPD Special Order 31 after State Auditor report 2019-118): an analyst asks,
-- a custodian approves or refuses, held reads are skipped by the purge until release or until
-- the review date passes.
CREATE TABLE holds (
    id              INTEGER PRIMARY KEY,
    case_number     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_ms    INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'requested'
                    CHECK (status IN ('requested', 'approved', 'refused', 'released')),
    decided_by      TEXT,
    decided_ms      INTEGER,
    decision_note   TEXT NOT NULL DEFAULT '',
    review_ms       INTEGER,                  -- an approved hold lapses at this time
    released_by     TEXT,
    released_ms     INTEGER,
    release_note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX holds_status ON holds(status, review_ms);

-- The reads a hold names. No foreign key: a read purged after its hold ended leaves its id
-- here (ids are never reused), so the hold's history stays whole.
CREATE TABLE hold_reads (
    hold_id INTEGER NOT NULL REFERENCES holds(id),
    read_id INTEGER NOT NULL,
    PRIMARY KEY (read_id, hold_id)
) WITHOUT ROWID;
CREATE INDEX hold_reads_hold ON hold_reads(hold_id);
