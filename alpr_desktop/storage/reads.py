"""Cameras, reads, distinct plates and images: rows in, core dataclasses out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead, Read
from alpr_desktop.core.plates import normalize_plate, ocr_key
from alpr_desktop.storage.db import Store

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


class ReadRepo:
    """Inserts reads in batches; keeps a plate-id cache so distinct plates resolve once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._plate_ids: dict[str, int] | None = None

    def _plate_cache(self) -> dict[str, int]:
        if self._plate_ids is None:
            self._plate_ids = dict(self.store.query("SELECT plate_norm, id FROM plates"))
        return self._plate_ids

    def _resolve_plates(self, norms: Iterable[str]) -> None:
        cache = self._plate_cache()
        new = sorted({n for n in norms if n not in cache})
        if not new:
            return
        c = self.store.conn
        c.executemany(
            "INSERT OR IGNORE INTO plates(plate_norm, ocr_key) VALUES (?, ?)",
            [(n, ocr_key(n)) for n in new],
        )
        for i in range(0, len(new), 500):
            chunk = new[i : i + 500]
            marks = ",".join("?" * len(chunk))
            cache.update(
                c.execute(
                    f"SELECT plate_norm, id FROM plates WHERE plate_norm IN ({marks})", chunk
                ).fetchall()
            )

    def insert_many(self, reads: Sequence[NewRead]) -> list[int]:
        """Insert reads in one transaction and return their ids (None-free, in order).

        A read whose (source, vendor_read_id) already exists is skipped, and its existing id
        returned, so re-importing the same export adds nothing."""
        if not reads:
            return []
        norms = [normalize_plate(r.plate) for r in reads]
        cand_norms = [
            [normalize_plate(p) for p, _ in r.candidates] for r in reads
        ]
        with self.store.transaction() as c:
            self._resolve_plates([*norms, *(n for cs in cand_norms for n in cs)])
            cache = self._plate_cache()
            row = c.execute("SELECT coalesce(max(id), 0) FROM reads").fetchone()
            next_id = int(row[0]) + 1
            ids: list[int] = []
            rows = []
            cand_rows = []
            for r, norm, cands in zip(reads, norms, cand_norms, strict=True):
                rid = next_id
                next_id += 1
                ids.append(rid)
                rows.append((
                    rid, cache[norm], r.plate, r.state, r.recorded_at, r.camera_id,
                    r.direction, r.make, r.model, r.color, r.body_type, r.speed,
                    r.confidence, json.dumps([[p, c] for p, c in r.candidates]),
                    r.source, r.vendor_read_id,
                ))
                for cn in cands:
                    if cn != norm:
                        cand_rows.append((cache[cn], rid))
            if any(r.vendor_read_id is not None for r in reads):
                return self._insert_checked(c, rows, cand_rows, ids)
            c.executemany(
                "INSERT INTO reads(id, plate_id, plate, state, recorded_at, camera_id, "
                "direction, make, model, color, body_type, speed, confidence, candidates, "
                "source, vendor_read_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            c.executemany(
                "INSERT OR IGNORE INTO read_candidates(plate_id, read_id) VALUES (?, ?)",
                cand_rows,
            )
        return ids

    def _insert_checked(self, c, rows, cand_rows, ids) -> list[int]:
        """Row-by-row path for reads with vendor ids: duplicates map to the existing read."""
        remap: dict[int, int] = {}
        for row in rows:
            cur = c.execute(
                "INSERT INTO reads(id, plate_id, plate, state, recorded_at, camera_id, "
                "direction, make, model, color, body_type, speed, confidence, candidates, "
                "source, vendor_read_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(source, vendor_read_id) DO NOTHING",
                row,
            )
            if cur.rowcount == 0:
                existing = c.execute(
                    "SELECT id FROM reads WHERE source = ? AND vendor_read_id = ?",
                    (row[14], row[15]),
                ).fetchone()
                remap[row[0]] = int(existing[0])
        c.executemany(
            "INSERT OR IGNORE INTO read_candidates(plate_id, read_id) VALUES (?, ?)",
            [cr for cr in cand_rows if cr[1] not in remap],
        )
        return [remap.get(i, i) for i in ids]

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
        return int(self.store.query_one("SELECT count(*) FROM plates")[0])


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
