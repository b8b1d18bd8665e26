"""SQL of the investigator's views (issue 13): a plate's reads in time order with its
look-alikes and candidates, the sightings a map draws, the description search, and the
analyst's own past searches from the access log.

Every parameter is bound; id lists travel as one JSON text read by ``json_each``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.description_query import DescriptionQuery
from alpr_desktop.core.models import BBox, ImageBlob, Read
from alpr_desktop.core.plates import ocr_key
from alpr_desktop.core.sightings import CameraSite, Sighting
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.image_segments import data_columns
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, READ_WIDTH, row_to_read

# The events "My searches" lists: searches the analyst can run again.
OWN_SEARCH_EVENTS = ("search", "search.batch", "search.profile", "search.description")
_LOG_COLUMNS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, "
    "purpose, query, result_count, detail, prev_hash, hash"
)


_CANDIDATES = READ_WIDTH - 1  # read_rows keeps the candidates last


def _reads(rows: Sequence[Sequence[object]]) -> list[Read]:
    """Rows of READ_COLUMNS as reads. Most reads have no alternate candidates: those are
    built straight from the row (a profile maps thousands), the rest by row_to_read."""
    out = []
    for r in rows:
        raw = r[_CANDIDATES]
        out.append(Read(*r[:_CANDIDATES]) if not raw or raw == "[]"  # type: ignore[arg-type]
                   else row_to_read(r))
    return out


def _window(since: int | None, until: int | None) -> tuple[str, tuple[int, ...]]:
    parts, params = [], []
    if since is not None:
        parts.append("r.recorded_at >= ?")
        params.append(int(since))
    if until is not None:
        parts.append("r.recorded_at <= ?")
        params.append(int(until))
    return "".join(" AND " + p for p in parts), tuple(params)


class InvestigatorViewsRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def plate_reads(self, plate_norm: str, since: int | None, until: int | None,
                    limit: int) -> list[Read]:
        """The plate's reads, oldest first (an index range on reads_plate_time)."""
        w, wp = _window(since, until)
        sql = (f"SELECT {READ_COLUMNS} FROM reads r {FROM_READS} "
               f"WHERE r.plate_id = (SELECT id FROM plates WHERE plate_norm = ?){w} "
               "ORDER BY r.recorded_at, r.id LIMIT ?")
        return _reads(self.store.query(sql, (plate_norm, *wp, int(limit))))

    def lookalike_reads(self, plate_norm: str, since: int | None, until: int | None,
                        limit: int) -> list[tuple[Read, str]]:
        """Reads of the plate's OCR look-alikes ("look-alike") and reads of other plates
        whose alternate candidates name it ("candidate"), oldest first."""
        w, wp = _window(since, until)
        look = (f"SELECT {READ_COLUMNS}, 'look-alike' FROM reads r {FROM_READS} "
                "WHERE r.plate_id IN (SELECT id FROM plates WHERE ocr_key = ? "
                f"AND plate_norm <> ?){w}")
        cand = (f"SELECT {READ_COLUMNS}, 'candidate' FROM reads r {FROM_READS} "
                "WHERE r.id IN (SELECT rc.read_id FROM read_candidates rc WHERE rc.plate_id = "
                "(SELECT id FROM plates WHERE plate_norm = ?)) AND p.plate_norm <> ?"
                f"{w}")
        sql = (f"SELECT * FROM ({look} UNION ALL {cand}) ORDER BY recorded_at, id LIMIT ?")
        params = (ocr_key(plate_norm), plate_norm, *wp, plate_norm, plate_norm, *wp,
                  int(limit))
        out: list[tuple[Read, str]] = []
        seen: set[int] = set()
        for r in self.store.query(sql, params):
            read = row_to_read(r[:-1])
            if read.id not in seen:  # a look-alike whose candidate is the plate: once
                seen.add(read.id)
                out.append((read, str(r[-1])))
        return out

    def sightings(self, read_ids: Sequence[int]) -> list[Sighting]:
        """Where each read was seen, oldest first: the ONE place the map's coordinates come
        from. A read's own position where the export gave one (a mobile reader moves; issue
        16), else its camera's; reads with neither are left out."""
        own = "(r.latitude IS NOT NULL AND r.longitude IS NOT NULL)"
        sql = (
            "SELECT r.id, p.plate_norm, r.recorded_at, r.camera_id, c.name, "
            f"CASE WHEN {own} THEN r.latitude ELSE c.latitude END, "
            f"CASE WHEN {own} THEN r.longitude ELSE c.longitude END, {own}, r.direction "
            "FROM json_each(?) j JOIN reads r ON r.id = j.value "
            "JOIN plates p ON p.id = r.plate_id JOIN cameras c ON c.id = r.camera_id "
            f"WHERE {own} OR (c.latitude IS NOT NULL AND c.longitude IS NOT NULL) "
            "ORDER BY r.recorded_at, r.id"
        )
        rows = self.store.query(sql, (json.dumps([int(i) for i in read_ids]),))
        return [Sighting(int(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4]), float(r[5]),
                         float(r[6]), bool(r[7]), str(r[8] or "")) for r in rows]

    def reads_by_id(self, read_ids: Sequence[int]) -> dict[int, Read]:
        """Several reads in one query (the case file's rows), keyed by id."""
        sql = (f"SELECT {READ_COLUMNS} FROM json_each(?) j JOIN reads r ON r.id = j.value "
               f"{FROM_READS}")
        reads = (row_to_read(r) for r in self.store.query(
            sql, (json.dumps([int(i) for i in read_ids]),)))
        return {int(r.id): r for r in reads if r.id is not None}

    def images_of(self, read_ids: Sequence[int]) -> dict[int, list[ImageBlob]]:
        """The stored images of several reads in one query, keyed by read id."""
        rows = self.store.query(
            "SELECT i.read_id, i.kind, i.format, i.sha256, i.width, i.height, "
            f"i.bbox_x, i.bbox_y, i.bbox_w, i.bbox_h, {data_columns('i')} FROM json_each(?) j "
            "JOIN images i ON i.read_id = j.value ORDER BY i.read_id, i.kind",
            (json.dumps([int(i) for i in read_ids]),))
        out: dict[int, list[ImageBlob]] = {}
        for r in rows:
            bbox = BBox(r[6], r[7], r[8], r[9]) if r[6] is not None else None
            data = self.store.segments.row_data(*r[10:15])
            out.setdefault(int(r[0]), []).append(
                ImageBlob(r[0], r[1], r[2], data, r[3], r[4], r[5], bbox))
        return out

    def camera_sites(self) -> list[CameraSite]:
        rows = self.store.query(
            "SELECT id, name, latitude, longitude, location FROM cameras "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY name")
        return [CameraSite(int(r[0]), str(r[1]), float(r[2]), float(r[3]), str(r[4] or ""))
                for r in rows]

    def description_reads(self, q: DescriptionQuery, since: int, until: int,
                          limit: int) -> list[Read]:
        """Reads in the window matching every element, newest first: a range of
        reads_time, each read checked against the elements."""
        parts = ["r.recorded_at >= ?", "r.recorded_at <= ?"]
        params: list[object] = [int(since), int(until)]
        if q.camera_ids:
            parts.append("r.camera_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(q.camera_ids)))
        for column, values in (("make", q.makes), ("model", q.models), ("color", q.colors),
                               ("body_type", q.body_types), ("state", q.states),
                               ("direction", q.directions)):
            if values:
                parts.append(f"r.{column} COLLATE NOCASE IN "
                             f"({','.join('?' * len(values))})")
                params.extend(values)
        sql = (f"SELECT {READ_COLUMNS} FROM reads r INDEXED BY reads_time {FROM_READS} "
               f"WHERE {' AND '.join(parts)} ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?")
        return [row_to_read(r) for r in self.store.query(sql, (*params, int(limit)))]

    def own_searches(self, username: str, purpose_id: int, limit: int) -> list[LogEntry]:
        """The user's successful searches under one purpose, newest first."""
        marks = ",".join("?" * len(OWN_SEARCH_EVENTS))
        sql = (f"SELECT {_LOG_COLUMNS} FROM access_log WHERE username = ? "
               f"AND event IN ({marks}) AND outcome = 'ok' "
               "AND json_extract(detail, '$.purpose_id') = ? ORDER BY seq DESC LIMIT ?")
        rows = self.store.query(sql, (username, *OWN_SEARCH_EVENTS, int(purpose_id),
                                      int(limit)))
        return [LogEntry(*r) for r in rows]
