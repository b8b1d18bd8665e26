"""Cameras, reads, distinct plates and images: rows in, core dataclasses out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from operator import attrgetter

from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead, Read
from alpr_desktop.storage.db import Connection, Store
from alpr_desktop.storage.errors import StoreError
from alpr_desktop.storage.plates import PlateIdCache, PlateRepo, fast_normalize

_READ_COLUMNS = (
    "r.id, r.plate, p.plate_norm, r.state, r.recorded_at, r.camera_id, c.name, c.location, "
    "r.direction, r.make, r.model, r.color, r.body_type, r.speed, r.confidence, r.candidates"
)


def _row_to_read(row: tuple) -> Read:
    cands = tuple((str(p), float(c)) for p, c in json.loads(row[15] or "[]"))
    return Read(*row[:15], candidates=cands)


class CameraRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, cam: Camera) -> int:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO cameras(name, location, latitude, longitude, heading) "
                "VALUES (?, ?, ?, ?, ?)",
                (cam.name, cam.location, cam.latitude, cam.longitude, cam.heading),
            )
            return int(cur.lastrowid)

    def all(self) -> list[Camera]:
        rows = self.store.query(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras ORDER BY name"
        )
        return [Camera(*r) for r in rows]

    def by_name(self, name: str) -> Camera | None:
        row = self.store.query_one(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras WHERE name = ?",
            (name,),
        )
        return Camera(*row) if row else None


# Column order puts what comes straight from a NewRead first, so one attrgetter call (in C)
# builds most of each row.
_FROM_NEWREAD = (
    "plate", "state", "recorded_at", "camera_id", "direction", "make", "model", "color",
    "body_type", "speed", "confidence", "source", "vendor_read_id",
)
_newread_fields = attrgetter(*_FROM_NEWREAD)
_INSERT_READ = (
    f"INSERT INTO reads({', '.join(_FROM_NEWREAD)}, id, plate_id, candidates) "
    f"VALUES ({','.join('?' * (len(_FROM_NEWREAD) + 3))}) "
    "ON CONFLICT(source, vendor_read_id) WHERE vendor_read_id IS NOT NULL DO NOTHING"
)
_ROW_ID = len(_FROM_NEWREAD)
_ROW_SOURCE = _FROM_NEWREAD.index("source")
_ROW_VENDOR_ID = _FROM_NEWREAD.index("vendor_read_id")
_NO_CANDIDATES = "[]"


class ReadRepo:
    """Inserts reads in batches, resolving their plates to the distinct-plates table.

    Keep one ReadRepo for a whole import: it remembers plate ids between batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._plates = PlateIdCache()

    def insert_many(self, reads: Sequence[NewRead]) -> list[int]:
        """Insert reads in one transaction and return their ids, in input order.

        A read whose (source, vendor_read_id) already exists is skipped, and its existing id
        returned, so re-importing the same export adds nothing. This is the ingest hot path:
        per-row Python work is one dict probe and one tuple in the common case."""
        if not reads:
            return []
        nested = self.store.in_transaction
        try:
            with self.store.transaction() as c:
                ids = self._insert(c, reads)
        except BaseException:
            self._plates.rollback()
            raise
        if nested:  # the outer transaction may still roll the new plates back
            self._plates.rollback()
        else:
            self._plates.commit()
        return ids

    def _insert(self, c: Connection, reads: Sequence[NewRead]) -> list[int]:
        cache = self._plates.validate(c)
        get = cache.get
        pids = [get(r.plate) for r in reads]  # hit: the raw plate is a known normal form
        norms = {i: fast_normalize(reads[i].plate) for i, p in enumerate(pids) if p is None}
        cands = {
            i: [fast_normalize(p) for p, _ in r.candidates]
            for i, r in enumerate(reads)
            if r.candidates
        }
        wanted = set(norms.values()).union(*cands.values())
        if wanted:
            self._plates.add_new(c, wanted)
        for i, n in norms.items():
            pids[i] = cache[n]
        first = _next_read_id(c)
        rows = [
            (*_newread_fields(r), first + i, pid, _NO_CANDIDATES)
            for i, (r, pid) in enumerate(zip(reads, pids, strict=True))
        ]
        for i in cands:
            rows[i] = (*rows[i][:-1], json.dumps([[p, cf] for p, cf in reads[i].candidates]))
        inserted = c.executemany(_INSERT_READ, rows).rowcount
        ids = list(range(first, first + len(reads)))
        skipped = _map_duplicates(c, rows, ids) if inserted != len(rows) else set()
        cand_rows = [
            (cache[cn], ids[i])
            for i, cs in cands.items()
            if i not in skipped
            for cn in cs
            if cache[cn] != pids[i]
        ]
        if cand_rows:
            c.executemany(
                "INSERT OR IGNORE INTO read_candidates(plate_id, read_id) VALUES (?, ?)",
                cand_rows,
            )
        return ids

    def count(self) -> int:
        return int(self.store.query_one("SELECT count(*) FROM reads")[0])

    def get(self, read_id: int) -> Read | None:
        row = self.store.query_one(
            f"SELECT {_READ_COLUMNS} FROM reads r JOIN plates p ON p.id = r.plate_id "
            "JOIN cameras c ON c.id = r.camera_id WHERE r.id = ?",
            (read_id,),
        )
        return _row_to_read(row) if row else None

    def by_plate(self, plate_norm: str, limit: int = 1000) -> list[Read]:
        rows = self.store.query(
            f"SELECT {_READ_COLUMNS} FROM plates p JOIN reads r ON r.plate_id = p.id "
            "JOIN cameras c ON c.id = r.camera_id WHERE p.plate_norm = ? "
            "ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?",
            (plate_norm, limit),
        )
        return [_row_to_read(r) for r in rows]

    def distinct_plate_count(self) -> int:
        return PlateRepo(self.store).count()


def _next_read_id(c: Connection) -> int:
    """Next read id under the write lock. AUTOINCREMENT's high-water mark keeps an id from
    ever being reused after a purge, so an access-log entry never names a different read."""
    row = c.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'reads'), 0), "
        "coalesce((SELECT max(id) FROM reads), 0)) + 1"
    ).fetchone()
    return int(row[0])


def _map_duplicates(c: Connection, rows: list[tuple], ids: list[int]) -> set[int]:
    """Point skipped rows (an existing source + vendor read id) at the read already stored;
    returns the input positions that were skipped. ``ids`` is updated in place."""
    present = {
        r[0]
        for r in c.execute(
            "SELECT id FROM reads WHERE id BETWEEN ? AND ?", (ids[0], ids[-1])
        ).fetchall()
    }
    skipped = set()
    for i, row in enumerate(rows):
        if row[_ROW_ID] in present:
            continue
        source, vendor_id = row[_ROW_SOURCE], row[_ROW_VENDOR_ID]
        existing = c.execute(
            "SELECT id FROM reads WHERE source = ? AND vendor_read_id = ?", (source, vendor_id)
        ).fetchone()
        if existing is None:  # not a duplicate, yet not inserted: never silently drop a read
            raise StoreError(f"A read could not be stored (vendor read id {vendor_id!r}).")
        ids[i] = int(existing[0])
        skipped.add(i)
    return skipped


class ImageRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def put_many(self, images: Sequence[ImageBlob]) -> None:
        with self.store.transaction() as c:
            c.executemany(
                "INSERT INTO images(read_id, kind, format, data, sha256, size, width, height, "
                "bbox_x, bbox_y, bbox_w, bbox_h) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        im.read_id, im.kind, im.format, im.data,
                        im.sha256 or hashlib.sha256(im.data).hexdigest(), len(im.data),
                        im.width, im.height,
                        *((im.bbox.x, im.bbox.y, im.bbox.w, im.bbox.h) if im.bbox else (None,) * 4),
                    )
                    for im in images
                ],
            )

    def for_read(self, read_id: int) -> list[ImageBlob]:
        rows = self.store.query(
            "SELECT read_id, kind, format, data, sha256, width, height, bbox_x, bbox_y, bbox_w, "
            "bbox_h FROM images WHERE read_id = ? ORDER BY kind",
            (read_id,),
        )
        out = []
        for r in rows:
            bbox = BBox(r[7], r[8], r[9], r[10]) if r[7] is not None else None
            out.append(ImageBlob(r[0], r[1], r[2], bytes(r[3]), r[4], r[5], r[6], bbox))
        return out

    def count(self) -> int:
        return int(self.store.query_one("SELECT count(*) FROM images")[0])
