-- 0009: the custodian's reviews of oversight findings (issue 21). A review says that a finding
-- (named by its stable key, such as "repeat|officer|8ABC123") was looked at, by whom, when,
-- with a note, and up to which log entry; the next report shows it and counts what came after.
-- Reviews are never changed or removed: a later review of the same finding is a new row.
CREATE TABLE oversight_reviews (
    id          INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,             -- username of the custodian
    reviewed_ms INTEGER NOT NULL,
    note        TEXT NOT NULL,
    through_seq INTEGER NOT NULL           -- the last log entry the review covered
);
CREATE INDEX oversight_reviews_key ON oversight_reviews(finding_key, id);

CREATE TRIGGER oversight_reviews_no_update BEFORE UPDATE ON oversight_reviews BEGIN
    SELECT RAISE(ABORT, 'oversight_reviews is append-only');
END;
CREATE TRIGGER oversight_reviews_no_delete BEFORE DELETE ON oversight_reviews BEGIN
    SELECT RAISE(ABORT, 'oversight_reviews is append-only');
END;
