-- 0020: the deletion neighbourhood of every plate's OCR look-alike key (issue 20).
--
-- A fuzzy search finds plates whose key is one edit from the searched key. Probing the
-- plates_ocr_key index with every key one edit away costs ~380 probes per search (3.6 ms at
-- 1M reads, 6.9 ms at 10M). Two keys of equal length one substitution apart share the key
-- with that position deleted, and a key one insertion longer has the searched key among its
-- deletions, so with each plate's key stored once per deleted character the same plates are
-- found with about 2 x 8 probes (storage/fuzzy.py; the program filters the few plates two
-- edits away that also share a deletion).
--
-- Rows are added in bulk by storage/plates.py (resolve_plate_ids), like the trigram index;
-- the trigger below removes a plate's rows when the plate goes (purge). A plate row never
-- changes, so the table cannot drift from it.
CREATE TABLE plate_key_deletions (
    variant  TEXT NOT NULL,     -- the plate's ocr_key with one character deleted
    plate_id INTEGER NOT NULL,  -- plates(id)
    PRIMARY KEY (variant, plate_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO plate_key_deletions(variant, plate_id)
SELECT substr(p.ocr_key, 1, j.value - 1) || substr(p.ocr_key, j.value + 1), p.id
FROM plates AS p, json_each('[1,2,3,4,5,6,7,8,9,10]') AS j
WHERE j.value <= length(p.ocr_key)
ORDER BY 1, 2;

-- The ten deletions are spelled out: a json_each subquery here cost twice as much per purged
-- plate. Past the key's length a term is the key itself, which no row of this plate holds.
CREATE TRIGGER plate_key_deletions_ad AFTER DELETE ON plates BEGIN
    DELETE FROM plate_key_deletions
    WHERE plate_id = old.id AND variant IN (
        substr(old.ocr_key, 1, 0) || substr(old.ocr_key, 2),
        substr(old.ocr_key, 1, 1) || substr(old.ocr_key, 3),
        substr(old.ocr_key, 1, 2) || substr(old.ocr_key, 4),
        substr(old.ocr_key, 1, 3) || substr(old.ocr_key, 5),
        substr(old.ocr_key, 1, 4) || substr(old.ocr_key, 6),
        substr(old.ocr_key, 1, 5) || substr(old.ocr_key, 7),
        substr(old.ocr_key, 1, 6) || substr(old.ocr_key, 8),
        substr(old.ocr_key, 1, 7) || substr(old.ocr_key, 9),
        substr(old.ocr_key, 1, 8) || substr(old.ocr_key, 10),
        substr(old.ocr_key, 1, 9) || substr(old.ocr_key, 11));
END;
