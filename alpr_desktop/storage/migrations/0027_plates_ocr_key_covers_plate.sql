-- 0027: the plates' OCR-key index carries the plate too (issue 20). A fuzzy search looks up
-- a few hundred keys (its plate's and every key one edit away) and reads each hit's plate:
-- with the plate in the index the hits are answered from its leaves, where before each hit
-- cost a random page of the plates table (at 100 million reads ~25 hits, a cold page each).
-- Same name, so nothing else changes.
DROP INDEX plates_ocr_key;
CREATE INDEX plates_ocr_key ON plates(ocr_key, plate_norm);
