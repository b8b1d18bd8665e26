-- 0024: reads_time carries the read id and plate id, (recorded_at, id, plate_id), under the
-- same name, so every query that walks it (INDEXED BY reads_time) still does. A search of
-- plates holding many reads walks it newest first and tests each entry's plate on the index
-- itself, reading a row only for the reads it keeps; without plate_id every entry walked cost
-- a row lookup (issue 20). id is listed so the index stays in (recorded_at, id) order: the
-- keyset order of search pages, walked without a sort. Reads arrive roughly in time order, so
-- the index grows at its right edge, as before.
DROP INDEX reads_time;
CREATE INDEX reads_time ON reads(recorded_at, id, plate_id);
