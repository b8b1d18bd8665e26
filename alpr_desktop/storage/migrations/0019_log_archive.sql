-- 0019: the access log's own retention (issue 14, docs/retention.md).
--
-- Entries older than five years are written to a signed, encrypted archive file; an anchor
-- row names the archived segment (sequence range, last hash, file name and SHA-256) and is
-- signed with the archiving custodian's checkpoint key. The chain then verifies from the
-- newest anchor: entry last_seq + 1 names the anchor's last_hash as its prev_hash.
CREATE TABLE log_anchors (
    id             INTEGER PRIMARY KEY,
    first_seq      INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL,
    last_hash      TEXT NOT NULL,
    archive_name   TEXT NOT NULL,
    archive_sha256 TEXT NOT NULL,
    archived_ms    INTEGER NOT NULL,
    archived_by    TEXT NOT NULL,
    key_id         INTEGER NOT NULL REFERENCES checkpoint_keys(id),
    body           TEXT NOT NULL,          -- the signed canonical text
    signature      TEXT NOT NULL           -- base64
);

-- An anchor continues the one before it, and names an entry the log still holds, by its hash.
CREATE TRIGGER log_anchors_append_only BEFORE INSERT ON log_anchors
WHEN new.first_seq IS NOT (SELECT coalesce(max(last_seq), 0) + 1 FROM log_anchors)
  OR new.last_seq < new.first_seq
  OR new.last_hash IS NOT (SELECT hash FROM access_log WHERE seq = new.last_seq)
BEGIN
    SELECT RAISE(ABORT, 'log_anchors: an anchor continues the last one and names a stored entry');
END;
CREATE TRIGGER log_anchors_no_update BEFORE UPDATE ON log_anchors BEGIN
    SELECT RAISE(ABORT, 'log_anchors is append-only');
END;
CREATE TRIGGER log_anchors_no_delete BEFORE DELETE ON log_anchors BEGIN
    SELECT RAISE(ABORT, 'log_anchors is append-only');
END;

-- The log stays append-only, except that a prefix an anchor covers may be removed (it lives
-- on in the archive file the anchor names).
DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN old.seq > (SELECT coalesce(max(last_seq), 0) FROM log_anchors)
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
