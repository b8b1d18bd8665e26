-- 0025: the access log without UNIQUE(hash) (issue 20).
--
-- Every gated access appends one entry, and each index of the log is one more page that the
-- entry's commit encrypts, authenticates and writes (about 20 us apiece here). The unique
-- index on the hash served no query: it was there so that migration 0006's trigger could
-- refuse a duplicate hash, and so that INSERT OR REPLACE could not delete an entry through a
-- conflict on it. Without the constraint there is nothing to conflict on (a row that passes
-- the trigger has the next seq), and a duplicate or forged hash on the head is what the chain
-- walk already refuses: an entry's hash must be the SHA-256 of its own fields and its
-- predecessor's hash. Its leaf was also a random one per entry: in a log of millions of
-- entries, a page read from the file and written back by every access.
--
-- SQLite cannot drop a column constraint, so the table is rebuilt: the entries copied in seq
-- order into a new table, the old one dropped (which drops its indexes and triggers without
-- firing them), the new one renamed into its place (legacy_alter_table: the rename then leaves
-- the other tables' triggers that name access_log as they are, resolving to the new table), and
-- its indexes and protecting triggers made again, the append-only trigger without the
-- duplicate-hash clause. All in the migration's one transaction.
PRAGMA legacy_alter_table = ON;
CREATE TABLE access_log_0025 (
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
    hash         TEXT NOT NULL
);
INSERT INTO access_log_0025
    SELECT seq, ts_ms, event, outcome, username, organization, agency, workstation, purpose,
           query, result_count, detail, prev_hash, hash
    FROM access_log ORDER BY seq;
DROP TABLE access_log;
ALTER TABLE access_log_0025 RENAME TO access_log;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX access_log_ts ON access_log(ts_ms);
CREATE INDEX access_log_user ON access_log(username, ts_ms);
CREATE INDEX access_log_event ON access_log(event, ts_ms);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN old.seq > (SELECT coalesce(max(last_seq), 0) FROM log_anchors)
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_append_only BEFORE INSERT ON access_log
WHEN new.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM access_log)
  OR new.prev_hash IS NOT coalesce(
       (SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
  OR length(new.hash) IS NOT 64
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: an entry goes only on the current head');
END;
