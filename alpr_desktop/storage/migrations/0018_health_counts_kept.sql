-- 0018: the health signals' counts kept up to date by the import (issue 16).
--
-- Each import batch now folds its reads into health_hours in its own transaction, so the
-- contractor's first look is as fast as a repeat. Migration 0014 moved reads of merged cameras
-- to the camera kept: counts made before it may name a camera that no longer exists, so the
-- kept counts start again (they are rebuilt from the reads at the next look).
DELETE FROM health_hours;
DELETE FROM health_cover;

-- The last read of each camera (UTC seconds), so a camera silent for the whole period looked
-- at can still say since when; exact for every read with id <= camera_last_cover's
-- covered_to_id (the import keeps both; the health computation catches up on the rest).
CREATE TABLE camera_last_read (
    camera_id INTEGER PRIMARY KEY,
    last_s    INTEGER NOT NULL
);
CREATE TABLE camera_last_cover (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    covered_to_id INTEGER NOT NULL
);
