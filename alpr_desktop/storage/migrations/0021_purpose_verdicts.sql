-- 0021: today's purpose rules' verdicts on logged purposes, kept for the oversight check
-- "purposes the current rules would reject" (issue 21). Judging a purpose costs about a
-- millisecond and a million log entries carry tens of thousands of purposes, so each distinct
-- purpose (its logged JSON text) is judged once per version of the rules (`rules`, a digest of
-- the rules' code) and its findings kept ('[]' for none). A derived cache, not a record: rows
-- of older rules are dropped when verdicts of newer ones are written, and a store without rows
-- (older stores) is judged afresh once, on the first oversight pass.
CREATE TABLE purpose_verdicts (
    rules    TEXT NOT NULL,
    purpose  TEXT NOT NULL,
    problems TEXT NOT NULL,
    PRIMARY KEY (rules, purpose)
);
