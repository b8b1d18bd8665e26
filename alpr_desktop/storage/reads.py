"""Cameras, reads, distinct plates and images: rows in, core dataclasses out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, is_not
from typing import cast

from alpr_desktop.core.camera_names import camera_key
from alpr_desktop.core.models import BBox, Camera, ImageBlob, Read
from alpr_desktop.core.plates import ocr_key
from alpr_desktop.core.read_fields import ReadFields
from alpr_desktop.storage.db import Connection, Store
from alpr_desktop.storage.errors import StoreError
from alpr_desktop.storage.image_segments import data_columns
from alpr_desktop.storage.plates import PlateIdCache, PlateRepo, fast_normalize
from alpr_desktop.storage.read_rows import FROM_READS, READ_COLUMNS, row_to_read
from alpr_desktop.storage.sequences import READS, allocate


class CameraRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, cam: Camera, vendor_id: str | None = None) -> int:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO cameras(name, name_key, location, latitude, longitude, heading, "
                "vendor_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cam.name, camera_key(cam.name), cam.location, cam.latitude, cam.longitude,
                 cam.heading, vendor_id or None),
            )
            return int(cur.lastrowid)

    def by_vendor_id(self, vendor_id: str) -> Camera | None:
        """The camera the vendor knows by that id (migration 0014), whatever it is named."""
        row = self.store.query_one(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras "
            "WHERE vendor_id = ?",
            (vendor_id,),
        )
        return Camera(*row) if row else None

    def set_vendor_id(self, camera_id: int, vendor_id: str) -> None:
        """Remember the vendor's id of a camera matched by name (only where it has none)."""
        with self.store.transaction() as c:
            c.execute("UPDATE cameras SET vendor_id = ? WHERE id = ? AND vendor_id IS NULL "
                      "AND NOT EXISTS (SELECT 1 FROM cameras WHERE vendor_id = ?)",
                      (vendor_id, camera_id, vendor_id))

    def all(self) -> list[Camera]:
        rows = self.store.query(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras ORDER BY name"
        )
        return [Camera(*r) for r in rows]

    def by_name(self, name: str) -> Camera | None:
        """The camera of that name, written with any spacing or case (core.camera_names)."""
        row = self.store.query_one(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras "
            "WHERE name_key = ?",
            (camera_key(name),),
        )
        return Camera(*row) if row else None

    def read_counts(self) -> dict[int, int]:
        """Reads per camera id (the contractor's camera list; counts, no read data)."""
        rows = self.store.query("SELECT camera_id, count(*) FROM reads GROUP BY camera_id")
        return {int(cid): int(n) for cid, n in rows}


# Column order puts what comes straight from a NewRead first, so one attrgetter call (in C)
# builds most of each row. A batch where no read has its own position leaves the two
# coordinate columns out of the statement (NULL by default): binding them cost a fifth of the
# encrypted insert rate, and most exports are from fixed cameras.
_BASE_COLUMNS = (
    "plate", "state", "recorded_at", "camera_id", "direction", "make", "model", "color",
    "body_type", "speed", "confidence", "source", "vendor_read_id",
)
_FROM_NEWREAD = (*_BASE_COLUMNS, "latitude", "longitude")
_newread_fields = attrgetter(*_FROM_NEWREAD)
_base_fields = attrgetter(*_BASE_COLUMNS)
_latitude = attrgetter("latitude")
_ON_CONFLICT = "ON CONFLICT(source, vendor_read_id) WHERE vendor_read_id IS NOT NULL DO NOTHING"
# The same insert with many rows per statement (multi-row VALUES): 1,800 rows of up to 18
# values stay inside SQLite's default limit of 32,766 bound values.
_ROWS_PER_STATEMENT = 1800


def _columns(coords: bool) -> tuple[str, ...]:
    return _FROM_NEWREAD if coords else _BASE_COLUMNS


def _insert_read_sql(coords: bool) -> str:
    cols = _columns(coords)
    return (f"INSERT INTO reads({', '.join(cols)}, id, plate_id, candidates) "
            f"VALUES ({','.join('?' * (len(cols) + 3))}) {_ON_CONFLICT}")


def _insert_reads_sql(rows: int, coords: bool) -> str:
    cols = _columns(coords)
    marks = f"({','.join('?' * (len(cols) + 3))})"
    return (
        f"INSERT INTO reads({', '.join(cols)}, id, plate_id, candidates) "
        f"VALUES {','.join([marks] * rows)} {_ON_CONFLICT}"
    )


_INSERT_READ = {c: _insert_read_sql(c) for c in (False, True)}
_INSERT_READS_CHUNK = {c: _insert_reads_sql(_ROWS_PER_STATEMENT, c) for c in (False, True)}


def has_positions(reads: Sequence[object]) -> bool:
    """Whether any read carries its own latitude (in C: no Python loop per read)."""
    return any(map(is_not, map(_latitude, reads), repeat(None)))


_NO_CANDIDATES = "[]"


# A read as insert_prepared binds it: these fields, then its normalized plate, its camera's
# name key (core.camera_names; the insert looks up both ids itself) and its position in the
# batch.
_PREPARED = (
    "plate", "state", "recorded_at", "direction", "make", "model", "color", "body_type",
    "speed", "confidence", "source", "vendor_read_id", "latitude", "longitude",
)
_PREPARED_PER_STATEMENT = 1900  # 17 values each: inside SQLite's default 32,766


def _insert_prepared_sql(rows: int) -> str:
    cols = [f"column{i + 1}" for i in range(len(_PREPARED) + 3)]
    norm, camera, pos = cols[len(_PREPARED):]
    select = [*cols[:3], f"(SELECT id FROM cameras WHERE name_key = {camera})", *cols[3:14],
              f"? + {pos}", f"(SELECT id FROM plates WHERE plate_norm = {norm})"]
    marks = f"({','.join('?' * len(cols))})"
    return (
        f"INSERT INTO reads({', '.join(_FROM_NEWREAD)}, id, plate_id) "
        f"SELECT {', '.join(select)} FROM (VALUES {','.join([marks] * rows)}) WHERE true "
        f"{_ON_CONFLICT}"
    )


_INSERT_PREPARED_CHUNK = _insert_prepared_sql(_PREPARED_PER_STATEMENT)


@dataclass
class PreparedReads:
    """A batch of reads (without alternates) as bound values, built off the database thread
    by ``prepare_reads``: the storing thread then does no per-read Python work, which in an
    import would contend for the GIL with the thread parsing the next batch."""

    chunks: list[list[object]]  # flat values of up to _PREPARED_PER_STATEMENT reads each
    count: int
    plates: set[str]  # the batch's normalized plates
    ocr_keys: dict[str, str]  # OCR keys of the plates the preparer had not seen before

    def keys(self) -> list[tuple[str, str | None]]:
        """(source, vendor read id) per read, in order."""
        width = len(_PREPARED) + 3
        src, vid = _PREPARED.index("source"), _PREPARED.index("vendor_read_id")
        return [(str(s), None if v is None else str(v)) for ch in self.chunks
                for s, v in zip(ch[src::width], ch[vid::width], strict=True)]


def prepare_reads(
    reads: Sequence[ReadFields], *, plate_norm: str, camera_name: str,
    seen_plates: set[str] | None = None,
) -> PreparedReads:
    """Bind values for ``insert_prepared``; ``plate_norm`` and ``camera_name`` name the
    attributes (dotted paths allowed) holding each read's normalized plate and camera name.
    Needs no database, so any thread may call it; the cameras must exist when inserting.

    The OCR keys of plates not in ``seen_plates`` are computed here too (and the set is
    updated), so the storing thread only computes those of plates it did not get."""
    if any(r.candidates for r in reads):
        raise ValueError("prepare_reads takes reads without alternates; use insert_many")
    get = attrgetter(*_PREPARED, plate_norm, camera_name)
    keys: dict[str, str] = {}  # camera name -> its key (a batch has few cameras)
    rows: list[tuple[object, ...]] = []
    append = rows.append
    for i, r in enumerate(reads):
        values = get(r)
        camera = values[-1]
        key = keys.get(camera)
        if key is None:
            key = keys[camera] = camera_key(camera)
        append((*values[:-1], key, i))
    step, width = _PREPARED_PER_STATEMENT, len(_PREPARED) + 3
    chunks = [list(chain.from_iterable(rows[i : i + step])) for i in range(0, len(rows), step)]
    plates: set[str] = set()
    for ch in chunks:
        plates.update(cast("list[str]", ch[len(_PREPARED) :: width]))  # normalized plates
    fresh = plates if seen_plates is None else plates.difference(seen_plates)
    if seen_plates is not None:
        seen_plates.update(fresh)
    return PreparedReads(chunks=chunks, count=len(rows), plates=plates,
                         ocr_keys={n: ocr_key(n) for n in fresh})


class ReadRepo:
    """Inserts reads in batches, resolving their plates to the distinct-plates table.

    Keep one ReadRepo for a whole import: it remembers plate ids between batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._plates = PlateIdCache()

    def insert_many(
        self, reads: Sequence[ReadFields], *, one_statement: bool = False
    ) -> list[int]:
        """Insert reads in one transaction and return their ids, in input order.

        A read whose (source, vendor_read_id) already exists is skipped, and its existing id
        returned, so re-importing the same export adds nothing. This is the ingest hot path:
        per-row Python work is one dict probe and one tuple in the common case.

        ``one_statement`` inserts 2,000 rows per SQLite call instead of one row per call
        (``executemany``), which takes the GIL back after every row: with another thread
        parsing meanwhile (the import), that per-row hand-off made the insert several times
        slower."""
        if not reads:
            return []
        nested = self.store.in_transaction
        try:
            with self.store.transaction() as c:
                ids = self._insert(c, reads, one_statement)
        except BaseException:
            self._plates.rollback()
            raise
        if nested:  # the outer transaction may still roll the new plates back
            self._plates.rollback()
        else:
            self._plates.commit()
        return ids

    def _insert(
        self, c: Connection, reads: Sequence[ReadFields], one_statement: bool
    ) -> list[int]:
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
        first = allocate(c, READS, len(reads))
        coords = has_positions(reads)
        fields = _newread_fields if coords else _base_fields
        rows = [
            (*fields(r), first + i, pid, _NO_CANDIDATES)
            for i, (r, pid) in enumerate(zip(reads, pids, strict=True))
        ]
        for i in cands:
            rows[i] = (*rows[i][:-1], json.dumps([[p, cf] for p, cf in reads[i].candidates]))
        if one_statement:
            inserted = _insert_chunked(c, rows, coords)
        else:
            inserted = c.executemany(_INSERT_READ[coords], rows).rowcount
        ids = list(range(first, first + len(reads)))
        skipped = _map_duplicates(c, reads, ids) if inserted != len(reads) else set()
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

    def insert_prepared(self, batch: PreparedReads) -> tuple[list[int], set[int]]:
        """Insert a prepared batch in one transaction: (ids in input order, positions skipped
        as already stored). Duplicates behave as in ``insert_many``."""
        if not batch.count:
            return [], set()
        nested = self.store.in_transaction
        try:
            with self.store.transaction() as c:
                cache = self._plates.validate(c)
                new = batch.plates.difference(cache)
                if new:
                    self._plates.add_new(c, new, batch.ocr_keys)
                first = allocate(c, READS, batch.count)
                inserted = 0
                for values in batch.chunks:
                    rows = len(values) // (len(_PREPARED) + 3)
                    sql = (_INSERT_PREPARED_CHUNK if rows == _PREPARED_PER_STATEMENT
                           else _insert_prepared_sql(rows))
                    inserted += c.execute(sql, [first, *values]).rowcount
                ids = list(range(first, first + batch.count))
                skipped = (_map_skipped(c, batch.keys(), ids) if inserted != batch.count
                           else set())
        except BaseException:
            self._plates.rollback()
            raise
        if nested:
            self._plates.rollback()
        else:
            self._plates.commit()
        return ids, skipped

    def count(self) -> int:
        return int(self.store.scalar("SELECT count(*) FROM reads"))

    def get(self, read_id: int) -> Read | None:
        row = self.store.query_one(
            f"SELECT {READ_COLUMNS} FROM reads r {FROM_READS} WHERE r.id = ?",
            (read_id,),
        )
        return row_to_read(row) if row else None

    def by_plate(self, plate_norm: str, limit: int = 1000) -> list[Read]:
        rows = self.store.query(
            f"SELECT {READ_COLUMNS} FROM plates p JOIN reads r ON r.plate_id = p.id "
            "JOIN cameras c ON c.id = r.camera_id WHERE p.plate_norm = ? "
            "ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?",
            (plate_norm, limit),
        )
        return [row_to_read(r) for r in rows]

    def distinct_plate_count(self) -> int:
        return PlateRepo(self.store).count()


def _insert_chunked(c: Connection, rows: list[tuple], coords: bool) -> int:
    """Insert ``rows`` 1,800 per statement; returns how many were inserted."""
    inserted = 0
    step = _ROWS_PER_STATEMENT
    for i in range(0, len(rows), step):
        chunk = rows[i : i + step]
        sql = (_INSERT_READS_CHUNK[coords] if len(chunk) == step
               else _insert_reads_sql(len(chunk), coords))
        inserted += c.execute(sql, list(chain.from_iterable(chunk))).rowcount
    return inserted


def _map_duplicates(c: Connection, reads: Sequence[ReadFields], ids: list[int]) -> set[int]:
    """Point skipped reads (an existing source + vendor read id) at the read already stored;
    returns the input positions that were skipped. ``ids`` (as assigned) is updated in place."""
    return _map_skipped(c, [(r.source, r.vendor_read_id) for r in reads], ids)


def _map_skipped(c: Connection, keys: list[tuple[str, str | None]], ids: list[int]) -> set[int]:
    """``_map_duplicates`` on (source, vendor read id) pairs, one query per source: a
    re-import can skip a whole batch, and a query per read would cost a GIL hand-off each."""
    present = {
        r[0]
        for r in c.execute(
            "SELECT id FROM reads WHERE id BETWEEN ? AND ?", (ids[0], ids[-1])
        ).fetchall()
    }
    skipped = [i for i, rid in enumerate(ids) if rid not in present]
    by_source: dict[str, list[str | None]] = {}
    for i in skipped:
        by_source.setdefault(keys[i][0], []).append(keys[i][1])
    found: dict[tuple[str, str], int] = {}
    for source, vendor_ids in by_source.items():
        rows = c.execute(
            "SELECT vendor_read_id, id FROM reads WHERE source = ? "
            "AND vendor_read_id IN (SELECT value FROM json_each(?))",
            (source, json.dumps([v for v in vendor_ids if v is not None], ensure_ascii=False)),
        ).fetchall()
        found.update(((source, v), int(rid)) for v, rid in rows)
    for i in skipped:
        source, vendor_id = keys[i]
        existing = found.get((source, vendor_id)) if vendor_id is not None else None
        if existing is None:  # not a duplicate, yet not inserted: never silently drop a read
            raise StoreError(f"A read could not be stored (vendor read id {vendor_id!r}).")
        ids[i] = existing
    return set(skipped)


class ImageRepo:
    """Images: new ones go to segment files under keys of their own (storage/image_segments.py);
    rows from before keep their bytes inline and read as they always did."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def put_many(self, images: Sequence[ImageBlob]) -> None:
        if not images:
            return
        with self.store.transaction() as c:
            when = dict(c.execute(
                "SELECT id, recorded_at FROM reads WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({int(im.read_id) for im in images})),),
            ).fetchall())
            missing = {im.read_id for im in images} - when.keys()
            if missing:
                raise StoreError(f"An image names a read that is not stored ({min(missing)}).")
            refs = self.store.segments.append(
                [(int(when[im.read_id]), im.data) for im in images])
            c.executemany(
                "INSERT INTO images(read_id, kind, format, data, sha256, size, width, height, "
                "bbox_x, bbox_y, bbox_w, bbox_h, seg, seg_off, seg_len, seg_key) "
                "VALUES (?,?,?,x'',?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        im.read_id, im.kind, im.format,
                        im.sha256 or hashlib.sha256(im.data).hexdigest(), len(im.data),
                        im.width, im.height,
                        *((im.bbox.x, im.bbox.y, im.bbox.w, im.bbox.h) if im.bbox else (None,) * 4),
                        ref.name, ref.offset, ref.length, ref.key,
                    )
                    for im, ref in zip(images, refs, strict=True)
                ],
            )

    def for_read(self, read_id: int) -> list[ImageBlob]:
        rows = self.store.query(
            f"SELECT read_id, kind, format, sha256, width, height, bbox_x, bbox_y, bbox_w, "
            f"bbox_h, {data_columns()} FROM images WHERE read_id = ? ORDER BY kind",
            (read_id,),
        )
        out = []
        for r in rows:
            bbox = BBox(r[6], r[7], r[8], r[9]) if r[6] is not None else None
            data = self.store.segments.row_data(*r[10:15])
            out.append(ImageBlob(r[0], r[1], r[2], data, r[3], r[4], r[5], bbox))
        return out

    def count(self) -> int:
        return int(self.store.scalar("SELECT count(*) FROM images"))

