"""SQL of the location search and common plates (issue 19): the reads of one time window at a
set of cameras or inside a box (a read's own position), light rows for the analysis, then the
full reads of the few that are shown.

The window is a range of reads_time (recorded_at); the camera and box tests run on the rows of
that range. There is no (camera_id, recorded_at) index (0001 left it out for the insert rate),
so the cost follows the reads per hour of the whole store, not of the cameras asked: see
docs/benchmarks.md, issue 19. Every parameter is bound; id lists travel as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from alpr_desktop.core.analysis_places import Box, Hit
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.models import Read
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, row_to_read

_LOG_COLUMNS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, "
    "purpose, query, result_count, detail, prev_hash, hash"
)


class LocationAnalysisRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def window_hits(self, camera_ids: Sequence[int], box: Box | None, since: int, until: int,
                    description: Mapping[str, Sequence[str]], limit: int) -> list[Hit]:
        """Reads recorded in [since, until] at one of ``camera_ids`` or whose own position
        lies in ``box``, matching every description element; at most ``limit`` rows."""
        where = []
        params: list[object] = [int(since), int(until)]
        if camera_ids:
            where.append("r.camera_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted({int(c) for c in camera_ids})))
        if box is not None:
            where.append("(r.latitude BETWEEN ? AND ? AND r.longitude BETWEEN ? AND ?)")
            params += [box.south, box.north, box.west, box.east]
        if not where:
            return []
        parts = [f"({' OR '.join(where)})"]
        for column, values in description.items():
            if column not in ("make", "model", "color", "body_type", "state", "direction"):
                raise ValueError(f"not a description column: {column!r}")
            parts.append(f"r.{column} COLLATE NOCASE IN ({','.join('?' * len(values))})")
            params.extend(values)
        sql = ("SELECT r.id, p.plate_norm, r.recorded_at, r.camera_id, r.latitude, "
               "r.longitude FROM reads r INDEXED BY reads_time "
               "JOIN plates p ON p.id = r.plate_id "
               f"WHERE r.recorded_at BETWEEN ? AND ? AND {' AND '.join(parts)} LIMIT ?")
        rows = self.store.query(sql, (*params, int(limit)))
        return [Hit(int(r[0]), str(r[1]), int(r[2]), int(r[3]),
                    None if r[4] is None else float(r[4]),
                    None if r[5] is None else float(r[5])) for r in rows]

    def reads_by_ids(self, read_ids: Sequence[int]) -> list[Read]:
        """Full reads, oldest first."""
        if not read_ids:
            return []
        sql = (f"SELECT {READ_COLUMNS} FROM json_each(?) j JOIN reads r ON r.id = j.value "
               f"{FROM_READS} ORDER BY r.recorded_at, r.id")
        return [row_to_read(r) for r in self.store.query(
            sql, (json.dumps([int(i) for i in read_ids]),))]

    def analysis_entries(self, from_ms: int | None, to_ms: int | None, through_seq: int | None,
                         username: str = "") -> list[LogEntry]:
        """The log's "analysis.*" entries in a period (the oversight flag's input)."""
        parts = ["event >= 'analysis.' AND event < 'analysis/'"]
        params: list[object] = []
        if from_ms is not None:
            parts.append("ts_ms >= ?")
            params.append(int(from_ms))
        if to_ms is not None:
            parts.append("ts_ms < ?")
            params.append(int(to_ms))
        if through_seq is not None:
            parts.append("seq <= ?")
            params.append(int(through_seq))
        if username:
            parts.append("username = ? COLLATE NOCASE")
            params.append(username)
        sql = (f"SELECT {_LOG_COLUMNS} FROM access_log WHERE {' AND '.join(parts)} "
               "ORDER BY seq")
        return [LogEntry(*r) for r in self.store.query(sql, tuple(params))]
