-- 0017: the oversight checks' counters kept between passes (issue 21), so the custodian's
-- next pass over the log reads only the entries added since. A derived cache, not a record:
-- one row, replaced after a pass that read enough new entries; used only when its key (the
-- checks' settings and code) and the seq and hash of the first and last entries it covers
-- still match the log, otherwise the pass starts from the first entry and replaces it.
CREATE TABLE oversight_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    state_key  TEXT NOT NULL,
    first_seq  INTEGER NOT NULL,
    first_hash TEXT NOT NULL,
    last_seq   INTEGER NOT NULL,
    last_hash  TEXT NOT NULL,
    state      BLOB NOT NULL
);
