-- 0006: the access log anchored outside the store (issue 10 §2).
--
-- An entry may only be appended exactly on the current head: the next sequence number, the
-- head's hash as its prev_hash, and a hash no other entry has. This also stops INSERT OR
-- REPLACE, whose REPLACE conflict resolution deletes the conflicting row without firing the
-- DELETE trigger (unless recursive_triggers is on): the BEFORE INSERT trigger runs before
-- any conflict is resolved, and a row that passes it conflicts with nothing. Whether the hash
-- itself is right needs SHA-256, which SQL lacks here: the chain walk checks it.
-- storage/access_log.py holds this SQL too and verification compares the two, text for text.
CREATE TRIGGER access_log_append_only BEFORE INSERT ON access_log
WHEN new.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM access_log)
  OR new.prev_hash IS NOT coalesce(
       (SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1),
       '0000000000000000000000000000000000000000000000000000000000000000')
  OR length(new.hash) IS NOT 64
  OR EXISTS (SELECT 1 FROM access_log WHERE hash = new.hash)
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: an entry goes only on the current head');
END;

-- Custodians' checkpoint signing keys (Ed25519). The public key is pinned here and printed on
-- every audit report; the private key is wrapped under the custodian's password (scrypt +
-- AES-256-GCM), so only that custodian, signed in, can sign. Keys are never changed or removed:
-- a custodian whose password changed gets a new key, and checkpoints signed by the old one stay
-- verifiable.
CREATE TABLE checkpoint_keys (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    username    TEXT NOT NULL,
    public_key  TEXT NOT NULL UNIQUE,      -- raw Ed25519 public key, hex
    fingerprint TEXT NOT NULL,
    wrapped     TEXT NOT NULL,             -- JSON: KDF, salt, nonce, wrapped private key
    pinned_ms   INTEGER NOT NULL
);
CREATE INDEX checkpoint_keys_user ON checkpoint_keys(user_id, id);

-- Every checkpoint issued: what it vouches for and its signature (the file the City keeps
-- elsewhere holds the same).
CREATE TABLE checkpoints (
    id          INTEGER PRIMARY KEY,
    key_id      INTEGER NOT NULL REFERENCES checkpoint_keys(id),
    entry_count INTEGER NOT NULL,
    head_hash   TEXT NOT NULL,
    issued_ms   INTEGER NOT NULL,
    issuer      TEXT NOT NULL,
    body        TEXT NOT NULL,             -- the signed canonical text
    signature   TEXT NOT NULL              -- base64
);

CREATE TRIGGER checkpoint_keys_no_update BEFORE UPDATE ON checkpoint_keys BEGIN
    SELECT RAISE(ABORT, 'checkpoint_keys is append-only');
END;
CREATE TRIGGER checkpoint_keys_no_delete BEFORE DELETE ON checkpoint_keys BEGIN
    SELECT RAISE(ABORT, 'checkpoint_keys is append-only');
END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN
    SELECT RAISE(ABORT, 'checkpoints is append-only');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN
    SELECT RAISE(ABORT, 'checkpoints is append-only');
END;
