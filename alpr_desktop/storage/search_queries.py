"""All SQL of plate search: resolve a pattern against the distinct-plates table, then fetch
reads of those plates by index, filtered, one keyset page at a time.

Two ways to fetch a tier of plates, chosen by estimated cost (storage/plate_search.py):

* narrow (the usual case): for each plate, its reads through ``reads_plate_time`` (the time
  window is an index range), then one small sort. A page costs a seek per plate and the
  tier's matching index entries.
* broad (many plates, or a short window): walk ``reads_time`` (recorded_at, id, plate_id)
  newest first and keep the entries whose plate is in the set, testing the plate on the index
  entry, stopping at the page size: a page costs about page size / density entries and the
  rows it keeps, whatever the page number.

The first page's counts have the same two ways: a probe per plate, or one walk of the
window's entries that counts every plate's matching reads at once.

Every parameter is bound; plate id lists travel as one JSON text read by ``json_each``
(measured faster than filling a temp table for a few hundred to a few thousand ids).
User text never reaches SQL: patterns arrive as A-Z0-9 with '*' and '?' only (core.patterns).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from alpr_desktop.core.models import Camera, Read
from alpr_desktop.core.patterns import TRIGRAM, Pattern
from alpr_desktop.core.search import Filters
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.image_segments import data_columns
from alpr_desktop.storage.limit_sql import limit as sql_limit
from alpr_desktop.storage.read_rows import (
    FROM_READS,
    READ_COLUMNS,
    READ_COLUMNS_PLATE_ID,
    READ_WIDTH,
    row_to_read,
)

COLUMNS = READ_COLUMNS
_FROM_READ = FROM_READS
_COLUMNS_PID = READ_COLUMNS_PLATE_ID
_FROM_CAMERA = "JOIN cameras c ON c.id = r.camera_id"


@dataclass(frozen=True)
class PlateHit:
    id: int
    plate: str
    key: str = ""


class PlateIds(tuple[int, ...]):
    """Plate ids that carry their JSON array text (``json``), as SQLite built it: a tier of
    thousands of plates goes to json_each on its page and its count without being encoded
    again (``ids_param``)."""

    json: str

    def __new__(cls, ids: Iterable[int], text: str) -> PlateIds:
        self = super().__new__(cls, ids)
        self.json = text
        return self


def ids_param(ids: Sequence[int]) -> str:
    """The JSON array of ``ids`` for json_each: the text a PlateIds carries, else encoded."""
    text = getattr(ids, "json", None)
    return text if isinstance(text, str) else json.dumps(list(ids))


@dataclass(frozen=True)
class PlateSet:
    """The plates a wildcard or substring pattern resolved to, in the order the plan found
    them: their ids, and id -> plate when the plan read the plates (None for the trigram
    phrase, which answers from the index alone). At 100M reads a pattern resolves to
    thousands of plates: kept as two plain containers, built from one row of JSON arrays,
    instead of an object per plate (issue 20: 5 of a 100M wildcard's 15 ms)."""

    ids: tuple[int, ...]
    names: dict[int, str] | None


@dataclass(frozen=True)
class Where:
    """A filter as SQL over ``r`` (reads) with its parameters."""

    sql: str
    params: tuple
    # The time window alone (also in ``sql``), for a way of paging that bounds it itself.
    since: int | None = None
    until: int | None = None
    tests_rows: bool = False  # a condition beyond the time window: each read's row decides

    def __bool__(self) -> bool:
        return bool(self.sql)


def filter_sql(
    f: Filters,
    since: int | None,
    until: int | None,
    tod_segments: Sequence[tuple[int, int]] = (),
) -> Where:
    """SQL for the filters, with the (already resolved and intersected) time window.

    Time of day is computed in SQL from the site zone's UTC offsets over the window
    (``tod_segments``: (from UTC second, offset) pairs), so DST is right without a
    per-row function call."""
    parts: list[str] = []
    params: list = []
    if since is not None:
        parts.append("r.recorded_at >= ?")
        params.append(int(since))
    if until is not None:
        parts.append("r.recorded_at <= ?")
        params.append(int(until))
    if f.camera_ids:
        parts.append(f"r.camera_id IN ({','.join('?' * len(f.camera_ids))})")
        params.extend(f.camera_ids)
    for column, values in (
        ("state", f.states), ("make", f.makes), ("model", f.models), ("color", f.colors),
        ("body_type", f.body_types),
    ):
        if values:
            parts.append(f"r.{column} COLLATE NOCASE IN ({','.join('?' * len(values))})")
            params.extend(values)
    if f.speed_min is not None:
        parts.append("r.speed >= ?")
        params.append(float(f.speed_min))
    if f.speed_max is not None:
        parts.append("r.speed <= ?")
        params.append(float(f.speed_max))
    if f.min_confidence is not None:
        parts.append("r.confidence >= ?")
        params.append(float(f.min_confidence))
    if f.time_of_day is not None and tod_segments:
        segs = list(tod_segments)
        case = "CASE " + " ".join("WHEN r.recorded_at >= ? THEN ?" for _ in segs[1:][::-1])
        case_params: list[int] = []
        for start, off in segs[1:][::-1]:
            case_params += [start, off]
        case += " ELSE ? END" if len(segs) > 1 else ""
        offset_sql = case if len(segs) > 1 else "?"
        case_params.append(segs[0][1])
        minute = f"(((r.recorded_at + {offset_sql}) % 86400) / 60)"
        tod = f.time_of_day
        if tod.crosses_midnight:
            parts.append(f"({minute} >= ? OR {minute} < ?)")
            params += [*case_params, tod.start_min, *case_params, tod.end_min]
        else:
            parts.append(f"{minute} BETWEEN ? AND ?")
            params += [*case_params, tod.start_min, tod.end_min - 1]
    window = (since is not None) + (until is not None)
    return Where(" AND ".join(parts), tuple(params),
                 None if since is None else int(since), None if until is None else int(until),
                 len(parts) > window)


def _and(*clauses: str) -> str:
    kept = [c for c in clauses if c]
    return ("WHERE " + " AND ".join(kept)) if kept else ""


# Sortable columns as SQL over r (reads), p (plates) and c (cameras). Every order ends with
# the read id, so it is total and a keyset position is one (value, id) pair.
SORT_EXPR = {
    "time": "r.recorded_at",
    "plate": "p.plate_norm",
    "state": "r.state",
    "camera": "c.name",
    "confidence": "r.confidence",
    "direction": "r.direction",
    "vehicle": "(r.make || ' / ' || r.model || ' / ' || r.color)",
    "speed": "coalesce(r.speed, -1.0)",  # keyset comparisons need a value, never NULL
}
_JOIN_PLATES = " JOIN plates p ON p.id = r.plate_id"
_JOIN_CAMERAS = " JOIN cameras c ON c.id = r.camera_id"


@dataclass(frozen=True)
class Order:
    """A results order: a sortable column and a direction, the read id breaking ties."""

    column: str = "time"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_EXPR:
            raise ValueError(f"not a sortable column: {self.column!r}")

    @property
    def expr(self) -> str:
        return SORT_EXPR[self.column]

    def sql(self) -> str:
        d = "DESC" if self.descending else "ASC"
        return f"{self.expr} {d}, r.id {d}"

    def joins(self) -> str:
        """What the sort expression needs besides ``reads r``."""
        return {"plate": _JOIN_PLATES, "camera": _JOIN_CAMERAS}.get(self.column, "")

    def keyset(self, after: tuple[object, int] | None) -> tuple[str, tuple]:
        """Rows strictly after ``after`` = (value, read id) in this order. Written as a range
        on the column first, so an index on it can seek."""
        if after is None:
            return "", ()
        v, rid = after
        lt, le = ("<", "<=") if self.descending else (">", ">=")
        e = self.expr
        return f"{e} {le} ? AND ({e} {lt} ? OR r.id {lt} ?)", (v, v, rid)


NEWEST = Order("time", True)


def _keyset(after: tuple[int, int] | None) -> tuple[str, tuple]:
    return NEWEST.keyset(after)


@dataclass(frozen=True)
class Sizes:
    """What the planner knows of the store: the id high-water marks of reads and plates
    (about their numbers; a purge leaves them high) and the oldest and newest read's time."""

    reads: int
    plates: int
    first: int | None
    last: int | None
    page_size: int = 16_384
    cache_pages: int = 4_096  # the connection's page cache

    @property
    def reads_per_plate(self) -> float:
        if not self.reads or not self.plates:
            return 1.0
        return max(1.0, self.reads / self.plates)

    def window_reads(self, since: int | None, until: int | None) -> float:
        """Reads recorded in [since, until], assuming reads spread evenly over time."""
        if self.first is None or self.last is None or not self.reads:
            return 0.0
        lo = self.first if since is None else max(since, self.first)
        hi = self.last if until is None else min(until, self.last)
        if hi < lo:
            return 0.0
        return self.reads * min(1.0, (hi - lo + 1) / max(1, self.last - self.first))


class SearchQueries:
    """Plate resolution and keyset-paged read fetching for services.search."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pages: tuple[int, int] | None = None  # page size, cache pages: fixed per connection

    # -- sizes, for the planner ---------------------------------------------------------------
    def sizes(self) -> Sizes:
        """Four index seeks (max ids, the ends of reads_time), unlike count(*) which walks a
        whole index; and the page and cache sizes."""
        row = self.store.query_one(
            "SELECT (SELECT max(id) FROM reads), (SELECT max(id) FROM plates), "
            "(SELECT min(recorded_at) FROM reads), (SELECT max(recorded_at) FROM reads)"
        )
        reads, plates, first, last = row or (None, None, None, None)
        if self._pages is None:
            page = int(self.store.scalar("PRAGMA page_size") or 4096)
            cache = int(self.store.scalar("PRAGMA cache_size") or 0)
            self._pages = (page, -cache * 1024 // page if cache < 0 else cache)
        return Sizes(int(reads or 0), int(plates or 0),
                     None if first is None else int(first), None if last is None else int(last),
                     *self._pages)

    def time_bounds(self) -> tuple[int, int] | None:
        row = self.store.query_one(
            "SELECT (SELECT min(recorded_at) FROM reads), (SELECT max(recorded_at) FROM reads)"
        )
        if not row or row[0] is None:
            return None
        return int(row[0]), int(row[1])

    def plates_version(self) -> int:
        """The plate generation (migration 0004): moves whenever a plate is added or deleted,
        so a resolved pattern cached under it is exactly as fresh as the plates table, even
        when plate ids commit out of order."""
        row = self.store.query_one("SELECT n FROM plate_generation")
        return int(row[0]) if row else 0

    # -- resolving patterns to plates ------------------------------------------------------
    def exact(self, plate: str) -> list[PlateHit]:
        """The plate's id, from the plate index alone (its key is not read: an exact search
        does not need it, and reading it costs a random page of the plates table)."""
        rows = self.store.query("SELECT id, plate_norm FROM plates WHERE plate_norm = ?",
                                (plate,))
        return [PlateHit(*r) for r in rows]

    def exact_many(self, plates: Sequence[str]) -> dict[str, int]:
        rows = self.store.query(
            "SELECT p.plate_norm, p.id FROM json_each(?) j JOIN plates p ON p.plate_norm = j.value",
            (json.dumps(list(plates)),),
        )
        return {r[0]: int(r[1]) for r in rows}

    def by_keys(self, keys: Sequence[str]) -> list[PlateHit]:
        """Plates whose OCR key is one of ``keys`` (index probes on plates_ocr_key)."""
        rows = self.store.query(
            "SELECT id, plate_norm, ocr_key FROM plates "
            "WHERE ocr_key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return [PlateHit(*r) for r in rows]

    def wildcard(self, pattern: Pattern, limit: int) -> tuple[PlateSet, str]:
        """Plates matching a wildcard or substring pattern (at most ``limit``), and the plan
        used, in words (``_matching``). The hits come back as one row of two JSON arrays
        (ids, plates), built in SQLite: a row per plate through the driver cost a microsecond
        each."""
        inner_sql, params, plan = _matching(pattern)
        row = self.store.query_one(
            "SELECT json_group_array(id), json_group_array(plate_norm), "
            f"count(plate_norm) FROM ({inner_sql})", (*params, limit))
        ids: tuple[int, ...] = PlateIds(json.loads(row[0]), row[0]) if row else ()
        names = dict(zip(ids, json.loads(row[1]), strict=True)) \
            if row and int(row[2]) == len(ids) else None
        return PlateSet(ids, names), plan

    def count_matching(self, pattern: Pattern, limit: int) -> tuple[int, str]:
        """How many plates match a wildcard or substring pattern (counting to ``limit``),
        and the plan, found as ``wildcard`` finds them: a page from the postings, which
        carry each read's plate, needs no more (issue 20: at 100M reads a three-character
        start's 5,000 plates cost 3.6 ms to read and hold, 0.3 ms to count)."""
        inner_sql, params, plan = _matching(pattern)
        return int(self.store.scalar(f"SELECT count(*) FROM ({inner_sql})",
                                     (*params, limit)) or 0), plan

    # -- reads ---------------------------------------------------------------------------------
    def page_by_plates(
        self,
        plate_ids: Sequence[int],
        where: Where,
        after: tuple[object, int] | None,
        limit: int,
        *,
        broad: bool = False,
        exclude_candidates: Sequence[int] = (),
        plate_names: Mapping[int, str] | None = None,
        order: Order = NEWEST,
    ) -> list[Read]:
        """Reads of these plates in ``order`` (newest first by default), after the keyset
        position ``after`` = (sort value, read id).
        ``exclude_candidates`` drops reads one of whose alternates is among those plates
        (they were already listed as candidate matches). ``plate_names`` (id -> plate, for
        every id in ``plate_ids``) spares the plates lookup per row."""
        ks, ks_params = order.keyset(after)
        excl, excl_params = _excluding_candidates(exclude_candidates)
        if order.column == "plate":
            plate_names = None  # the order needs the plates join anyway
        cols, joins = _columns_for(plate_names)
        by = order.sql()
        if broad and order.column == "time":
            sql = (
                f"SELECT {cols} FROM reads r INDEXED BY reads_time {joins} "
                + _and("+r.plate_id IN (SELECT value FROM json_each(?))", where.sql, ks, excl)
                + f" ORDER BY {by} {sql_limit(limit)}"
            )
            params = (ids_param(plate_ids), *where.params, *ks_params, *excl_params)
        elif len(plate_ids) == 1 and order.column == "time":
            # One plate (an exact search): its range of reads_plate_time is already in the
            # order, so the rows are read as the range is walked, with no JSON array and no
            # second pass (issue 20: exact is measured against PostgreSQL's index scan).
            sql = (f"SELECT {cols} FROM reads r INDEXED BY reads_plate_time {joins} "
                   + _and("r.plate_id = ?", where.sql, ks, excl)
                   + f" ORDER BY {by} {sql_limit(limit)}")
            params = (int(plate_ids[0]), *where.params, *ks_params, *excl_params)
        else:
            # Two steps: order and cut on reads_plate_time alone (it covers plate_id,
            # recorded_at and id, so without description filters no row is read), then read
            # the page's rows only. A page costs index entries, not row lookups.
            sql = (
                f"SELECT {cols} FROM reads r {joins} WHERE r.id IN ("
                "SELECT r.id FROM json_each(?) j CROSS JOIN reads r ON r.plate_id = j.value"
                + order.joins() + " "
                + _and(where.sql, ks, excl)
                + f" ORDER BY {by} {sql_limit(limit)})"
                f" ORDER BY {by}"
            )
            params = (ids_param(plate_ids), *where.params, *ks_params, *excl_params)
        return [row_to_read(r, plate_names) for r in self.store.query(sql, params)]

    def reads_by_ids(
        self, read_ids: Sequence[int], where: Where, *,
        exclude_candidates: Sequence[int] = (),
        plate_names: Mapping[int, str] | None = None,
    ) -> list[Read]:
        """These reads as far as they pass ``where``, newest first (the page of a walk of the
        trigram postings, storage/read_grams.py, which chose them by plate already)."""
        excl, excl_params = _excluding_candidates(exclude_candidates)
        cols, joins = _columns_for(plate_names)
        sql = (f"SELECT {cols} FROM reads r {joins} "
               + _and("r.id IN (SELECT value FROM json_each(?))", where.sql, excl)
               + f" ORDER BY {NEWEST.sql()}")
        params = (json.dumps(list(read_ids)), *where.params, *excl_params)
        return [row_to_read(r, plate_names) for r in self.store.query(sql, params)]

    def page_by_candidates(
        self,
        candidate_plate_ids: Sequence[int],
        own_plate_excluded: Sequence[int],
        where: Where,
        after: tuple[object, int] | None,
        limit: int,
        order: Order = NEWEST,
    ) -> list[tuple[Read, str]]:
        """Reads one of whose alternate candidates is among ``candidate_plate_ids`` (their own
        plate not among ``own_plate_excluded``), with the candidate that matched."""
        ks, ks_params = order.keyset(after)
        by = order.sql()
        cand = json.dumps(list(candidate_plate_ids))
        sql = (
            f"SELECT {COLUMNS}, (SELECT p2.plate_norm FROM read_candidates rc2 "
            "JOIN plates p2 ON p2.id = rc2.plate_id WHERE rc2.read_id = r.id "
            "AND rc2.plate_id IN (SELECT value FROM json_each(?)) ORDER BY p2.plate_norm LIMIT 1) "
            f"FROM reads r {_FROM_READ} WHERE r.id IN (SELECT r.id FROM reads r"
            + order.joins() + " "
            + _and(
                "r.id IN (SELECT rc.read_id FROM read_candidates rc "
                "WHERE rc.plate_id IN (SELECT value FROM json_each(?)))",
                "r.plate_id NOT IN (SELECT value FROM json_each(?))",
                where.sql, ks,
            )
            + f" ORDER BY {by} {sql_limit(limit)})"
            f" ORDER BY {by}"
        )
        params = (cand, cand, json.dumps(list(own_plate_excluded)), *where.params,
                  *ks_params)
        return [(row_to_read(r), str(r[READ_WIDTH])) for r in self.store.query(sql, params)]

    def count_by_plates(
        self, plate_ids: Sequence[int], where: Where, cap: int,
        exclude_candidates: Sequence[int] = (),
    ) -> int:
        """Matching reads of these plates, counting no further than ``cap``."""
        excl, excl_params = _excluding_candidates(exclude_candidates)
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM json_each(?) j CROSS JOIN reads r "
            "ON r.plate_id = j.value " + _and(where.sql, excl) + f" {sql_limit(cap)})"
        )
        row = self.store.query_one(sql, (ids_param(plate_ids), *where.params, *excl_params))
        return int(row[0]) if row else 0

    def counts_by_walk(
        self, plate_ids: Sequence[int], where: Where, exclude_candidates: Sequence[int] = (),
    ) -> dict[int, int]:
        """Matching reads of each of these plates that has any, in one walk of reads_time
        over the window, the plate tested on the index entry (rows are read only for the
        plates' reads, and only when a filter needs them)."""
        excl, excl_params = _excluding_candidates(exclude_candidates)
        sql = (
            "SELECT r.plate_id, count(*) FROM reads r INDEXED BY reads_time "
            + _and("+r.plate_id IN (SELECT value FROM json_each(?))", where.sql, excl)
            + " GROUP BY r.plate_id"
        )
        rows = self.store.query(sql, (ids_param(plate_ids), *where.params,
                                      *excl_params))
        return {int(r[0]): int(r[1]) for r in rows}

    def count_by_candidates(
        self, candidate_plate_ids: Sequence[int], own_plate_excluded: Sequence[int],
        where: Where, cap: int,
    ) -> int:
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM reads r "
            + _and(
                "r.id IN (SELECT rc.read_id FROM read_candidates rc "
                "WHERE rc.plate_id IN (SELECT value FROM json_each(?)))",
                "r.plate_id NOT IN (SELECT value FROM json_each(?))",
                where.sql,
            )
            + f" {sql_limit(cap)})"
        )
        row = self.store.query_one(
            sql, (json.dumps(list(candidate_plate_ids)), json.dumps(list(own_plate_excluded)),
                  *where.params),
        )
        return int(row[0]) if row else 0

    def plates_with_reads(
        self, plate_ids: Sequence[int], where: Where, cap: int,
        exclude_candidates: Sequence[int] = (),
    ) -> set[int]:
        """Which of these plates have a matching read (at most ``cap`` of them): one index
        probe on reads_plate_time per plate, stopping at the first read found."""
        excl, excl_params = _excluding_candidates(exclude_candidates)
        sql = (
            "SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM reads r "
            + _and("r.plate_id = j.value", where.sql, excl) + f") {sql_limit(cap)}"
        )
        rows = self.store.query(sql, (ids_param(plate_ids), *where.params, *excl_params))
        return {int(r[0]) for r in rows}

    def plates_of_candidate_reads(
        self, candidate_plate_ids: Sequence[int], own_plate_excluded: Sequence[int],
        where: Where, cap: int,
    ) -> set[int]:
        """The own plates of the reads a candidate tier holds (at most ``cap``)."""
        sql = (
            "SELECT DISTINCT r.plate_id FROM reads r "
            + _and(
                "r.id IN (SELECT rc.read_id FROM read_candidates rc "
                "WHERE rc.plate_id IN (SELECT value FROM json_each(?)))",
                "r.plate_id NOT IN (SELECT value FROM json_each(?))",
                where.sql,
            )
            + f" {sql_limit(cap)}"
        )
        rows = self.store.query(sql, (json.dumps(list(candidate_plate_ids)),
                                      json.dumps(list(own_plate_excluded)), *where.params))
        return {int(r[0]) for r in rows}

    def reads_of_plate(self, plate_id: int, where: Where, limit: int) -> list[Read]:
        """One plate's reads, newest first (batch search)."""
        sql = (
            f"SELECT {COLUMNS} FROM reads r {_FROM_READ} "
            + _and("r.plate_id = ?", where.sql)
            + f" ORDER BY r.recorded_at DESC, r.id DESC {sql_limit(limit)}"
        )
        return [row_to_read(r) for r in self.store.query(sql, (plate_id, *where.params))]

    def warm_upper_pages(self, reads_step: int, plate_probes: int) -> int:
        """Touch the reads table at every ``reads_step``-th id and reads_plate_time at
        ``plate_probes`` evenly spaced plates (the walk from the root to each reads the
        interior pages on the way); how many of the probes found a read. The min and the max
        are asked apart: together they would scan the table."""
        lo, hi, plates = self.store.query_one(
            "SELECT (SELECT min(id) FROM reads), (SELECT max(id) FROM reads), "
            "(SELECT max(id) FROM plates)") or (None, None, None)
        if lo is None or hi is None:
            return 0
        step = max(1, int(reads_step))
        reads = self.store.scalar(
            "WITH RECURSIVE s(x) AS (SELECT ? UNION ALL SELECT x + ? FROM s WHERE x < ?) "
            "SELECT count(*) FROM s CROSS JOIN reads r ON r.id = s.x", (lo, step, hi))
        by_plate = max(1, int(plates or 0) // max(1, int(plate_probes)))
        plated = self.store.scalar(
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + ? FROM s WHERE x < ?) "
            "SELECT count(*) FROM s WHERE EXISTS (SELECT 1 FROM reads r "
            "INDEXED BY reads_plate_time WHERE r.plate_id = s.x)", (by_plate, plates or 0))
        return int(reads or 0) + int(plated or 0)

    def warm_recent_rows(self, reads: int) -> int:
        """Read the rows of the newest ``reads`` reads by id (imports append a day after the
        last): one pass over the end of the reads table, so its pages sit in the page cache;
        how many rows it read. The length of each row's make makes the pass read the rows,
        not an index."""
        top = self.store.scalar("SELECT max(id) FROM reads")
        if top is None or reads <= 0:
            return 0
        row = self.store.query_one(
            "SELECT count(*), max(length(r.make)) FROM reads r WHERE r.id > ?",
            (int(top) - int(reads),))
        return int(row[0]) if row else 0

    def crops(
        self, read_ids: Sequence[int], window: tuple[int, int] | None = None
    ) -> dict[int, tuple[str, bytes]]:
        """Plate-crop bytes (format, data) of these reads, for thumbnails; with ``window``,
        only reads recorded inside it (a contractor's permission)."""
        sql = (
            f"SELECT i.read_id, i.format, {data_columns('i')} FROM json_each(?) j "
            "JOIN images i ON i.read_id = j.value AND i.kind = 'crop' "
            "JOIN reads r ON r.id = i.read_id"
        )
        params: tuple = (json.dumps([int(x) for x in read_ids]),)
        if window is not None:
            sql += " WHERE r.recorded_at BETWEEN ? AND ?"
            params += (int(window[0]), int(window[1]))
        rows = self.store.query(sql, params)
        return {int(r[0]): (str(r[1]), self.store.segments.row_data(*r[2:7])) for r in rows}

    def cameras(self) -> list[Camera]:
        rows = self.store.query(
            "SELECT id, name, location, latitude, longitude, heading FROM cameras ORDER BY name"
        )
        return [Camera(*r) for r in rows]

    def explain(self, sql: str, params: tuple) -> list[str]:
        """EXPLAIN QUERY PLAN lines (tests check that pages use the intended index)."""
        return [str(r[-1]) for r in self.store.query("EXPLAIN QUERY PLAN " + sql, params)]


def _columns_for(plate_names: Mapping[int, str] | None) -> tuple[str, str]:
    """A read's columns and joins: without the plates join when the caller knows the plates
    (a random plates-table lookup per row saved)."""
    return (_COLUMNS_PID, _FROM_CAMERA) if plate_names is not None else (COLUMNS, _FROM_READ)


def _excluding_candidates(plates: Sequence[int]) -> tuple[str, tuple[object, ...]]:
    """The condition (and its parameter) that drops reads whose alternate candidates include
    one of ``plates``; nothing when there are none. The reads listed so are found once (a
    range of read_candidates' key per plate: a handful) rather than probed for every index
    entry the page or count walks: at 100M reads those probes were a third of a fuzzy
    page's pages (issue 20)."""
    if not plates:
        return "", ()
    return ("r.id NOT IN (SELECT rc.read_id FROM read_candidates rc "
            "WHERE rc.plate_id IN (SELECT value FROM json_each(?)))",
            (json.dumps(list(plates)),))


def _matching(pattern: Pattern) -> tuple[str, tuple[object, ...], str]:
    """The statement selecting (id, plate_norm) of the plates matching a wildcard or
    substring pattern, its parameters but the last (its LIMIT), and its plan in words.

    In order of preference:
    * a literal prefix of two or more characters: a range of the plates index, which
      covers (plate_norm, id), so no row is read;
    * a substring without '?': an FTS5 trigram phrase query (``MATCH '"B12"'``), answered
      from the index alone (no plate names). The phrase is A-Z0-9 only (core.patterns),
      so quoting it needs no escaping and FTS5 keywords (NEAR, OR, AND) in it are plain
      letters;
    * any other run of three characters: LIKE on the trigram table, which narrows by the
      index and checks each candidate against the plate;
    * otherwise a scan of the distinct plates (never of the reads).
    """
    prefix = pattern.prefix()
    glob = pattern.glob()
    inner = glob[1:-1]
    # "*B12*" in any mode is a plain substring: the phrase query answers it exactly.
    plain_substring = (len(glob) > 2 and glob[0] == glob[-1] == "*"
                       and "*" not in inner and "?" not in inner)
    if len(prefix) >= 2 or (prefix and not pattern.uses_trigrams):
        inner_sql = "SELECT id, plate_norm FROM plates WHERE plate_norm GLOB ? LIMIT ?"
        params: tuple[object, ...] = (glob,)
        plan = f"plate index range on prefix '{prefix}'"
    elif plain_substring and len(inner) >= TRIGRAM:
        inner_sql = ("SELECT rowid AS id, NULL AS plate_norm FROM plates_fts "
                     "WHERE plates_fts MATCH ? LIMIT ?")
        params = (f'"{inner}"',)
        plan = f"trigram index phrase '{inner}'"
    elif pattern.uses_trigrams:
        inner_sql = ("SELECT rowid AS id, plate_norm FROM plates_fts "
                     "WHERE plate_norm LIKE ? LIMIT ?")
        params = (pattern.like(),)
        plan = f"trigram index on '{pattern.longest_run()}'"
    else:
        inner_sql = "SELECT id, plate_norm FROM plates WHERE plate_norm GLOB ? LIMIT ?"
        params = (glob,)
        plan = (f"scan of all distinct plates (no run of {TRIGRAM} characters for the "
                "trigram index)")
    return inner_sql, params, plan
