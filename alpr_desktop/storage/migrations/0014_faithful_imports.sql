-- 0014: reads keep their own position, cameras carry the vendor's id, and cameras that are one
-- camera are merged.
--
-- A mobile reader (a patrol car) moves: each read keeps the coordinates its export gives
-- (NULL when it gives none; the camera's position is then the best there is).
ALTER TABLE reads ADD COLUMN latitude REAL;
ALTER TABLE reads ADD COLUMN longitude REAL;

-- The vendor's own id of a camera (OpenALPR's site and camera_id), so a camera whose label
-- changed between two exports is still matched, not created again.
ALTER TABLE cameras ADD COLUMN vendor_id TEXT;

-- Camera names are compared by the Unicode-aware key of core/camera_names.py (the program
-- registers it on the connection as alpr_camera_key). Names that 0008's ASCII-only key kept
-- apart (a no-break space, "Cañada"/"CAÑADA", full-width letters) now share a key: each such
-- group is merged into its oldest camera (lowest id), which takes the place and coordinates it
-- lacks from the others, and every read of the others is repointed to it.
DROP INDEX cameras_name_key;
UPDATE cameras SET name_key = alpr_camera_key(name);

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
WHERE id = (SELECT min(k.id) FROM cameras k WHERE k.name_key = cameras.name_key)
AND EXISTS (SELECT 1 FROM cameras d WHERE d.name_key = cameras.name_key AND d.id > cameras.id);

UPDATE reads SET camera_id = (
    SELECT min(k.id) FROM cameras k WHERE k.name_key = (
        SELECT c.name_key FROM cameras c WHERE c.id = reads.camera_id))
WHERE camera_id IN (
    SELECT c.id FROM cameras c WHERE EXISTS (
        SELECT 1 FROM cameras k WHERE k.name_key = c.name_key AND k.id < c.id));

DELETE FROM cameras WHERE EXISTS (
    SELECT 1 FROM cameras k WHERE k.name_key = cameras.name_key AND k.id < cameras.id);

CREATE UNIQUE INDEX cameras_name_key ON cameras(name_key);
CREATE UNIQUE INDEX cameras_vendor_id ON cameras(vendor_id) WHERE vendor_id IS NOT NULL;
