-- 0004: one confidence scale, and ids that do not depend on a single writer.
--
-- Confidence is stored 0-1 (shown as a percent). Imports kept the vendor's 0-100 figure while
-- the demo stored 0-1, so a search filter "at least 80 %" (0.8) let a 12 % imported read
-- through. An import source whose reads hold a figure above 1 stored percents: its reads and
-- their alternates' confidences are divided by 100. The demo always stored 0-1.
UPDATE reads SET
    confidence = confidence / 100.0,
    candidates = CASE WHEN candidates = '[]' THEN candidates ELSE (
        SELECT json_group_array(json_array(j.value->>0, (j.value->>1) / 100.0))
        FROM json_each(reads.candidates) AS j) END
WHERE source <> 'demo' AND source IN (
    SELECT source FROM reads GROUP BY source HAVING max(confidence) > 1.0);

-- Id blocks are taken from a named sequence (storage/sequences.py), never from max(id) + 1:
-- a server backend allocates them with its own sequences while other workstations insert.
-- Each row holds the next id to hand out; a reads id is never reused after a purge.
CREATE TABLE id_sequences (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_sequences(name, next) VALUES
    ('reads', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'reads'), 0),
                  coalesce((SELECT max(id) FROM reads), 0)) + 1),
    ('plates', coalesce((SELECT max(id) FROM plates), 0) + 1);

-- Counts every change to the set of distinct plates (a plate added or deleted): a resolved
-- search pattern is cached under this generation, not under the highest plate id (ids from a
-- sequence can commit out of order).
CREATE TABLE plate_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO plate_generation(id, n) VALUES (1, 0);
CREATE TRIGGER plate_generation_ad AFTER DELETE ON plates BEGIN
    UPDATE plate_generation SET n = n + 1;
END;
