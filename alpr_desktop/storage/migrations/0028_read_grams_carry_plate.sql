-- 0028: the recent reads' postings carry the read's plate (issue 20).
--
-- A page of a broad pattern tested each posting's plate id against the pattern's plate set,
-- so a first page read that whole set first: a three-character plate start matches about
-- 5,000 plates at 100M reads, and reading and holding them cost 3.6 ms of a page, against
-- 0.3 ms to count them. With the plate in the posting, the walk tests each posting against the
-- pattern itself (GLOB, in the statement), the page's rows need no plates lookup, and a first
-- page needs only the count of the pattern's plates (storage/plate_search.py).
--
-- The postings are made again: the table is dropped and created empty with the new column,
-- and the state says "never built", so searches page the way they did before the postings
-- until services/search_index.py has posted the window again (in the background, after the
-- store opens: about 3.5 minutes at 100M reads). Nothing else reads them.
DROP TRIGGER read_grams_ad;
DROP TRIGGER read_grams_au;
DROP TABLE read_grams;

CREATE TABLE read_grams (
    day         INTEGER NOT NULL,  -- recorded_at / 86400 (UTC day)
    gram        TEXT NOT NULL,     -- three characters of the plate (A-Z, 0-9)
    recorded_at INTEGER NOT NULL,
    read_id     INTEGER NOT NULL,
    plate_id    INTEGER NOT NULL,
    plate       TEXT NOT NULL,     -- the read's plate (plates.plate_norm of plate_id)
    PRIMARY KEY (day, gram, recorded_at, read_id)
) WITHOUT ROWID;

UPDATE read_grams_state SET floor = NULL, low = NULL, indexed_to = 0, built_to_at = NULL,
    built_to_id = NULL WHERE id = 1;

-- As in 0026: a read's postings go with it, and move with an update of its plate or time.
CREATE TRIGGER read_grams_ad AFTER DELETE ON reads
WHEN old.recorded_at >= (SELECT low FROM read_grams_state WHERE id = 1) BEGIN
    DELETE FROM read_grams WHERE day = old.recorded_at / 86400
        AND recorded_at = old.recorded_at AND read_id = old.id
        AND gram IN (SELECT substr(p.plate_norm, k.value, 3)
                     FROM plates p, json_each('[1,2,3,4,5,6,7,8]') k
                     WHERE p.id = old.plate_id AND k.value <= length(p.plate_norm) - 2);
END;

CREATE TRIGGER read_grams_au AFTER UPDATE OF plate_id, recorded_at ON reads
WHEN old.recorded_at >= (SELECT low FROM read_grams_state WHERE id = 1)
  OR new.recorded_at >= (SELECT floor FROM read_grams_state WHERE id = 1) BEGIN
    DELETE FROM read_grams WHERE day = old.recorded_at / 86400
        AND recorded_at = old.recorded_at AND read_id = old.id
        AND gram IN (SELECT substr(p.plate_norm, k.value, 3)
                     FROM plates p, json_each('[1,2,3,4,5,6,7,8]') k
                     WHERE p.id = old.plate_id AND k.value <= length(p.plate_norm) - 2);
    INSERT OR IGNORE INTO read_grams(day, gram, recorded_at, read_id, plate_id, plate)
        SELECT new.recorded_at / 86400, substr(p.plate_norm, k.value, 3), new.recorded_at,
               new.id, new.plate_id, p.plate_norm
        FROM plates p, json_each('[1,2,3,4,5,6,7,8]') k, read_grams_state s
        WHERE p.id = new.plate_id AND k.value <= length(p.plate_norm) - 2
          AND substr(p.plate_norm, k.value, 3) GLOB '[0-9A-Z][0-9A-Z][0-9A-Z]'
          AND s.id = 1 AND new.recorded_at >= s.floor AND new.id <= s.indexed_to
          AND (s.built_to_at IS NULL OR (new.recorded_at, new.id) <= (s.built_to_at,
                                                                      s.built_to_id));
END;
