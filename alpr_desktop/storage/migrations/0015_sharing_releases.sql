-- 0015: what has left for each approved sharing request, by kind (issue 15). An approved
-- request may be answered once with an evidence package and once with an offline review
-- extract, never twice with the same kind: the primary key makes a second release of one kind
-- impossible even when two workstations release the same request at the same moment.
CREATE TABLE sharing_releases (
    request_id   INTEGER NOT NULL REFERENCES sharing_requests(id),
    kind         TEXT NOT NULL CHECK (kind IN ('package', 'extract')),
    released_by  TEXT NOT NULL,
    released_ms  INTEGER NOT NULL,
    digest       TEXT NOT NULL,      -- package: manifest SHA-256; extract: its extract id
    PRIMARY KEY (request_id, kind)
) WITHOUT ROWID;

-- Requests disclosed before this migration were answered with a package.
INSERT INTO sharing_releases(request_id, kind, released_by, released_ms, digest)
    SELECT id, 'package', disclosed_by, COALESCE(disclosed_ms, 0), manifest_sha256
    FROM sharing_requests WHERE status = 'disclosed';

CREATE TRIGGER sharing_releases_no_update BEFORE UPDATE ON sharing_releases BEGIN
    SELECT RAISE(ABORT, 'sharing_releases is append-only');
END;
CREATE TRIGGER sharing_releases_no_delete BEFORE DELETE ON sharing_releases BEGIN
    SELECT RAISE(ABORT, 'sharing_releases is append-only');
END;
