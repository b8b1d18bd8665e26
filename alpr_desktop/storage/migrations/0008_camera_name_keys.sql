-- 0008: one camera per name. Imports created a second camera when an export wrote a known
-- camera's name with other case or spacing; such duplicates are merged into the oldest camera
-- (lowest id), its reads repointed, and a unique key keeps it so (core/camera_names.py
-- computes the same key for new names: whitespace runs as one space, trimmed, ASCII upper).

ALTER TABLE cameras ADD COLUMN name_key TEXT;

-- Tabs and line breaks become spaces; six halvings collapse any run of up to 64 spaces.
UPDATE cameras SET name_key = upper(trim(
    replace(replace(replace(replace(replace(replace(
        replace(replace(replace(name, char(9), ' '), char(10), ' '), char(13), ' '),
        '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '),
    ' '));

-- Fill what the kept camera lacks from its duplicates (place and coordinates).
UPDATE cameras SET
    location = coalesce(nullif(location, ''), (
        SELECT d.location FROM cameras d WHERE d.name_key = cameras.name_key
        AND d.id > cameras.id AND d.location <> '' ORDER BY d.id LIMIT 1), ''),
    latitude = coalesce(latitude, (
        SELECT d.latitude FROM cameras d WHERE d.name_key = cameras.name_key
        AND d.id > cameras.id AND d.latitude IS NOT NULL ORDER BY d.id LIMIT 1)),
    longitude = coalesce(longitude, (
        SELECT d.longitude FROM cameras d WHERE d.name_key = cameras.name_key
        AND d.id > cameras.id AND d.longitude IS NOT NULL ORDER BY d.id LIMIT 1))
WHERE id = (SELECT min(k.id) FROM cameras k WHERE k.name_key = cameras.name_key);

UPDATE reads SET camera_id = (
    SELECT min(k.id) FROM cameras k WHERE k.name_key = (
        SELECT c.name_key FROM cameras c WHERE c.id = reads.camera_id))
WHERE camera_id IN (
    SELECT c.id FROM cameras c WHERE EXISTS (
        SELECT 1 FROM cameras k WHERE k.name_key = c.name_key AND k.id < c.id));

DELETE FROM cameras WHERE EXISTS (
    SELECT 1 FROM cameras k WHERE k.name_key = cameras.name_key AND k.id < cameras.id);

CREATE UNIQUE INDEX cameras_name_key ON cameras(name_key);
