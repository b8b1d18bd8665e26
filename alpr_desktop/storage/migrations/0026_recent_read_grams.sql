-- 0026: trigram postings of the recent reads, newest first (issue 20).
--
-- A broad pattern (a plate start, a middle run) matches ten times the plates in a store ten
-- times the size, so finding its newest hundred reads plate by plate costs ten times as much,
-- and walking reads_time newest first costs what the pattern's density says at any size.
-- read_grams lists, for each three-character run of a read's plate, (UTC day, run,
-- recorded_at, read) with the plate id, so a day's newest reads containing a run are one
-- contiguous range of one index: a page of a pattern that contains the run reads about a
-- page of entries, from a seek per day it goes back. Day first: a day's import adds its
-- entries in one region of the index instead of one leaf per run, and the days that fall out
-- of the window are removed as whole ranges.
--
-- The postings cover the recent window only: exactly the reads with id <= indexed_to and
-- recorded_at >= floor, a UTC midnight (storage/read_grams.py keeps them; a search uses them
-- only when no read above indexed_to exists, and pages below the floor the way it did before).
-- They are built after an import commits, not inside it, so the import rate is unchanged;
-- until then a search does not use them. A read's postings go with it: the trigger below
-- deletes them with the read (the purge, policy section 8), and an update of a read's plate or
-- time moves them.
CREATE TABLE read_grams (
    day         INTEGER NOT NULL,  -- recorded_at / 86400 (UTC day)
    gram        TEXT NOT NULL,     -- three characters of the plate (A-Z, 0-9)
    recorded_at INTEGER NOT NULL,
    read_id     INTEGER NOT NULL,
    plate_id    INTEGER NOT NULL,
    PRIMARY KEY (day, gram, recorded_at, read_id)
) WITHOUT ROWID;

CREATE TABLE read_grams_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    floor       INTEGER,           -- reads recorded from here on are posted; NULL: never built
    low         INTEGER,           -- no posting is older than this (floor once swept up to it)
    indexed_to  INTEGER NOT NULL,  -- reads with ids up to this one are posted (when built)
    built_to_at INTEGER,           -- the first build's position on reads_time, while it runs
    built_to_id INTEGER
);
INSERT INTO read_grams_state(id, floor, low, indexed_to) VALUES (1, NULL, NULL, 0);

-- A read's postings are its plate's three-character runs (a plate has at most ten characters:
-- runs start at positions 1 to 8). ``low`` rather than ``floor``: after the floor rises, the
-- days below it are removed in steps, and until then a deleted read's are still deleted.
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
    INSERT OR IGNORE INTO read_grams(day, gram, recorded_at, read_id, plate_id)
        SELECT new.recorded_at / 86400, substr(p.plate_norm, k.value, 3), new.recorded_at,
               new.id, new.plate_id
        FROM plates p, json_each('[1,2,3,4,5,6,7,8]') k, read_grams_state s
        WHERE p.id = new.plate_id AND k.value <= length(p.plate_norm) - 2
          AND substr(p.plate_norm, k.value, 3) GLOB '[0-9A-Z][0-9A-Z][0-9A-Z]'
          AND s.id = 1 AND new.recorded_at >= s.floor AND new.id <= s.indexed_to
          AND (s.built_to_at IS NULL OR (new.recorded_at, new.id) <= (s.built_to_at,
                                                                      s.built_to_id));
END;
