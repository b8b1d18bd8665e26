-- 0023: images in segment files beside the store (storage/image_segments.py), each under a key
-- of its own kept here: deleting the row erases the image (issue 14). Rows from before keep
-- their bytes inline in `data` (seg IS NULL), as extracts do; a segmented row has data = x''.
ALTER TABLE images ADD COLUMN seg TEXT;
ALTER TABLE images ADD COLUMN seg_off INTEGER;
ALTER TABLE images ADD COLUMN seg_len INTEGER;
ALTER TABLE images ADD COLUMN seg_key BLOB;
CREATE INDEX images_seg ON images(seg) WHERE seg IS NOT NULL;
