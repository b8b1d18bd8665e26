-- 0005: a custodian's approval of account changes (separation of duties, issue 10 §3).
-- A new account or re-enabled account holding analyst or custodian stays inactive, and a role
-- change adding either is not applied, until a custodian other than the requesting
-- administrator decides. At most one open request per account.

CREATE TABLE account_requests (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL CHECK (kind IN ('create', 'enable', 'roles')),
    roles_from      TEXT NOT NULL DEFAULT '',   -- sorted comma list, as users.roles
    roles_to        TEXT NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES users(id),
    requested_ms    INTEGER NOT NULL,
    decision        TEXT CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    decided_by      INTEGER REFERENCES users(id),
    decided_ms      INTEGER,
    reason          TEXT NOT NULL DEFAULT '',
    CHECK ((decision IS NULL) = (decided_ms IS NULL))
);
CREATE UNIQUE INDEX account_requests_one_open ON account_requests(user_id)
    WHERE decision IS NULL;
CREATE INDEX account_requests_open ON account_requests(decision, requested_ms);
