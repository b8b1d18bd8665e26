"""Trigram postings of the recent reads (migration 0026, issue 20): kept here, read by the
search planner (storage/plate_search.py).

The postings hold, for every read recorded from the midnight ``WINDOW_S`` before the newest
read, one entry per three-character run of its plate: (UTC day, run, recorded_at, read id)
-> plate id and plate (0028), in key order. A day's newest reads whose plate contains a run
are then one range of one index, so a page of a broad pattern costs a page or so of entries
and a seek per day it goes back, at any store size, instead of a probe per matching plate;
each entry is tested against the pattern by its plate, so no plate set is read. Day first
so that a day's import is posted into one region of the index (a run first put each commit on
a leaf per run: posting a day cost as much as importing it) and a day leaving the window is
one range.

They are built after imports, not by them: ``step`` does one short transaction of work (the
first build from reads_time, then the reads added since, then raising the floor and deleting
the days below it), and ``ReadGrams.ready`` tells a search whether they cover every read in
the window. They do not until ``step`` has caught up, and a search then pages as it did
before: always correct, faster once posted (services/search_index.py runs the steps).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.limit_sql import limit as sql_limit

DAY = 86_400
WINDOW_S = 31 * DAY  # the recent window posted: about a month before the newest read
MAX_SPAN_DAYS = 8  # days a search reads the postings of in one statement, at most
BATCH_READS = 25_000  # reads posted per transaction (a transaction stays well under a second)
GRAM = 3
_TOP = 2**62  # above any read id or time: a keyset position before everything
# A plate has at most core.plates.MAX_PLATE_LEN (10) characters: runs start at 1 to 8.
_POSITIONS = "json_each('[1,2,3,4,5,6,7,8]') k"
# Plates are A-Z and 0-9 only (core.plates.normalize_plate); a run of anything else would
# never be searched for, so it is not posted.
_GRAMS_OF = (f"SELECT r.recorded_at / {DAY}, substr(p.plate_norm, k.value, {GRAM}) AS g, "
             f"r.recorded_at, r.id, r.plate_id, p.plate_norm FROM {{reads}} "
             f"JOIN plates p ON p.id = r.plate_id, {_POSITIONS} "
             f"WHERE k.value <= length(p.plate_norm) - {GRAM - 1} "
             "AND g GLOB '[0-9A-Z][0-9A-Z][0-9A-Z]'")


@dataclass(frozen=True)
class GramState:
    """Where the postings stand (read_grams_state)."""

    floor: int | None  # reads recorded from here on are posted; None: never built
    low: int | None  # no posting is older than this
    indexed_to: int  # reads with ids up to this one are posted, once built
    building_at: tuple[int, int] | None  # the first build's (recorded_at, id), while it runs


@dataclass(frozen=True)
class Posting:
    recorded_at: int
    read_id: int
    plate_id: int
    plate: str  # the read's plate (migration 0028): tested against a pattern in the walk


def grams_of(text: str) -> list[str]:
    """The distinct three-character runs of a literal plate fragment, in order."""
    seen: dict[str, None] = {}
    for i in range(len(text) - GRAM + 1):
        seen.setdefault(text[i:i + GRAM], None)
    return list(seen)


def pattern_grams(glob: str) -> list[str]:
    """The runs every plate matching a GLOB pattern (``*`` and ``?`` only, core.patterns)
    must contain: those of each literal stretch between wildcards."""
    out: dict[str, None] = {}
    for part in glob.replace("?", "*").split("*"):
        for g in grams_of(part):
            out.setdefault(g, None)
    return list(out)


class ReadGrams:
    """The postings of one store: kept by ``step``, read by ``ready``, ``sparsest`` and
    ``postings``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- state ---------------------------------------------------------------------------
    def state(self) -> GramState:
        row = self.store.query_one(
            "SELECT floor, low, indexed_to, built_to_at, built_to_id "
            "FROM read_grams_state WHERE id = 1")
        if row is None:
            return GramState(None, None, 0, None)
        floor, low, indexed_to, at, rid = row
        return GramState(floor, low, int(indexed_to),
                         None if at is None else (int(at), int(rid)))

    def ready(self) -> int | None:
        """The floor when the postings cover every read recorded from it on (built, and no
        read added since the last step); else None. One short query."""
        row = self.store.query_one(
            "SELECT s.floor FROM read_grams_state s WHERE s.id = 1 AND s.floor IS NOT NULL "
            "AND s.built_to_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM reads WHERE id > s.indexed_to)")
        return None if row is None else int(row[0])

    def pending(self, now: float | None = None) -> int:
        """Reads still to post, about (for progress): the rest of the first build's window,
        or the reads added since the last step."""
        s = self.state()
        if s.floor is None:
            newest = self._newest()
            if newest is None:
                return 0
            return self._window_reads(
                self._floor_for(newest, time.time() if now is None else now), None, None)
        if s.building_at is not None:
            return self._window_reads(s.building_at[0], s.building_at[1], s.indexed_to) + \
                self._added_since(s.indexed_to)
        return self._added_since(s.indexed_to)

    # -- keeping them ----------------------------------------------------------------------
    def step(self, now: float | None = None, batch: int = BATCH_READS) -> int:
        """One transaction of work, the first that applies of: start the first build,
        continue it, post the reads added since, delete a day below the floor, raise the
        floor. Returns the reads posted (1 for a day deleted or the floor raised); 0 when
        there is nothing to do."""
        now = time.time() if now is None else now
        with self.store.transaction():
            s = self.state()
            if s.floor is None:
                newest = self._newest()
                if newest is None:
                    return 0
                floor = self._floor_for(newest, now)
                top = int(self.store.scalar("SELECT max(id) FROM reads") or 0)
                self.store.execute(
                    "UPDATE read_grams_state SET floor = ?, low = ?, indexed_to = ?, "
                    "built_to_at = ?, built_to_id = ? WHERE id = 1",
                    (floor, floor, top, floor - 1, _TOP))
                s = self.state()
            if s.building_at is not None:
                return self._build(s, batch)
            added = self._post_added(s, batch)
            if added:
                return added
            if s.low is not None and s.floor is not None and s.low < s.floor:
                return self._sweep(s)
            return self._raise_floor(s, now)

    def run(self, *, cancelled: Callable[[], bool] = lambda: False,
            progress: Callable[[int, int], object] | None = None,
            give_way: float = 0.2, now: float | None = None,
            pending: int | None = None) -> int:
        """``step`` until nothing is left (or ``cancelled``; every step commits, so a cancel
        or a crash loses nothing and the next run goes on). Between steps this process's
        waiting writers (a search's log entry) go first. ``pending`` is the caller's own
        ``pending()``, when it has one: before the first build that count is a walk of the
        window (about a second at 100M reads), not to be made twice. Returns the reads
        handled."""
        total = max(1, self.pending(now) if pending is None else pending)
        done = 0
        while True:
            if cancelled():
                raise Cancelled("Posting the recent reads was cancelled.")
            n = self.step(now)
            if n == 0:
                return done
            done += n
            if progress is not None:  # done never falls behind, nor its share of total
                progress(done, max(total, done))
            self.store.turns.give_way(give_way)

    def _build(self, s: GramState, batch: int) -> int:
        """The first build: the window's reads in reads_time order, up to ``indexed_to``
        (reads added meanwhile are posted by id afterwards)."""
        assert s.building_at is not None
        at, rid = s.building_at
        end = self.store.query_one(
            "SELECT recorded_at, id FROM reads INDEXED BY reads_time "
            "WHERE (recorded_at, id) > (?, ?) AND id <= ? ORDER BY recorded_at, id "
            "LIMIT 1 OFFSET ?", (at, rid, s.indexed_to, batch - 1))
        # A full batch ends at ``end``; the last, partial one takes the rest.
        upto, bounds = ("AND (recorded_at, id) <= (?, ?) ", (at, rid, *end, s.indexed_to)) \
            if end is not None else ("", (at, rid, s.indexed_to))
        where = f"WHERE (recorded_at, id) > (?, ?) {upto}AND id <= ?"
        self._insert(f"(SELECT recorded_at, id, plate_id FROM reads INDEXED BY reads_time "
                     f"{where}) r", bounds)
        if end is not None:
            self.store.execute("UPDATE read_grams_state SET built_to_at = ?, built_to_id = ? "
                               "WHERE id = 1", (int(end[0]), int(end[1])))
            return batch
        n = int(self.store.scalar(
            f"SELECT count(*) FROM reads INDEXED BY reads_time {where}", bounds) or 0)
        self.store.execute("UPDATE read_grams_state SET built_to_at = NULL, built_to_id = NULL "
                           "WHERE id = 1")
        return max(n, 1)  # the closing step counts one when no read was left for it

    def _post_added(self, s: GramState, batch: int) -> int:
        """The reads added since the last step, by id (an import appends them)."""
        assert s.floor is not None
        top = self.store.scalar(
            "SELECT max(id) FROM (SELECT id FROM reads WHERE id > ? ORDER BY id LIMIT ?)",
            (s.indexed_to, batch))
        if top is None:
            return 0
        reads = ("(SELECT recorded_at, id, plate_id FROM reads WHERE id > ? AND id <= ? "
                 "AND recorded_at >= ?) r")
        self._insert(reads, (s.indexed_to, int(top), s.floor))
        self.store.execute("UPDATE read_grams_state SET indexed_to = ? WHERE id = 1",
                           (int(top),))
        return int(top) - s.indexed_to

    def _insert(self, reads: str, params: tuple[object, ...]) -> None:
        # In key order: a day's entries are one region of the index, appended to in order.
        self.store.execute(
            "INSERT OR IGNORE INTO read_grams(day, gram, recorded_at, read_id, plate_id, plate) "
            + _GRAMS_OF.format(reads=reads) + " ORDER BY 1, 2, 3, 4", params)

    def _raise_floor(self, s: GramState, now: float) -> int:
        """Move the floor up to the midnight a window before the newest read (at most
        ``now``); the sweep then removes the days below it."""
        assert s.floor is not None
        newest = self._newest()
        if newest is None:
            return 0
        floor = self._floor_for(newest, now)
        if floor <= s.floor:
            return 0
        self.store.execute("UPDATE read_grams_state SET floor = ? WHERE id = 1", (floor,))
        return 1

    def _sweep(self, s: GramState) -> int:
        """Remove the postings of one day below the floor (a range of the index); ``low``
        follows, so a purge deletes what is left of the rest."""
        assert s.floor is not None and s.low is not None
        day = s.low // DAY
        self.store.execute("DELETE FROM read_grams WHERE day < ?", (day + 1,))
        self.store.execute("UPDATE read_grams_state SET low = ? WHERE id = 1",
                           (min(s.floor, (day + 1) * DAY),))
        return 1

    # -- reading them ----------------------------------------------------------------------
    def sparsest(self, grams: Sequence[str], floor: int, until: int | None) -> str:
        """Of a pattern's runs, the one with the fewest postings on the newest day the
        search covers (up to 512 counted): its walk reads the fewest non-matches."""
        if len(grams) == 1:
            return grams[0]
        day = self._top_day(floor, until)
        counts = {g: int(self.store.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM read_grams WHERE day = ? AND gram = ? "
            "LIMIT 512)", (day, g)) or 0) for g in grams}
        return min(grams, key=lambda g: counts[g])

    def postings(self, gram: str, floor: int, until: int | None,
                 after: tuple[int, int] | None, limit: int, *, glob: str = "*",
                 not_plate: str = "") -> list[Posting]:
        """Up to ``limit`` postings of ``gram`` from ``floor`` on (to ``until``) whose plate
        matches ``glob`` and is not ``not_plate``, newest first, strictly after the keyset
        position ``after`` = (recorded_at, read id). Day by day from the newest, a few days
        per statement (a range of the index each, each posting's plate tested as it is
        walked, merged by SQLite's sort): as many as the days read so far say the rest of
        the page needs."""
        at, rid = after if after is not None else (_TOP, _TOP)
        if until is not None and until < at:
            at, rid = until, _TOP
        day, first = self._top_day(floor, at), floor // DAY
        out: list[Posting] = []
        span = 1
        while day >= first and len(out) < limit:
            days = list(range(day, max(first, day - span + 1) - 1, -1))
            rows = self.store.query(
                "SELECT recorded_at, read_id, plate_id, plate FROM read_grams "
                "WHERE day IN (SELECT value FROM json_each(?)) AND gram = ? "
                "AND recorded_at >= ? AND (recorded_at, read_id) < (?, ?) "
                "AND plate GLOB ? AND plate <> ? "
                f"ORDER BY recorded_at DESC, read_id DESC {sql_limit(limit - len(out))}",
                (json.dumps(days), gram, floor, at, rid, glob, not_plate))
            out.extend(Posting(int(a), int(b), int(c), str(d)) for a, b, c, d in rows)
            if len(out) < limit:  # these days are done: on to the ones before (all before
                day -= len(days)  # the position, which lies in the newest day)
                per_day = len(rows) / len(days)
                span = min(MAX_SPAN_DAYS, max(2 * span, math.ceil(
                    (limit - len(out)) / max(per_day, 0.5))))
        return out

    # -- helpers -------------------------------------------------------------------------
    def _newest(self) -> int | None:
        v = self.store.scalar("SELECT max(recorded_at) FROM reads")
        return None if v is None else int(v)

    def _top_day(self, floor: int, before: int | None) -> int:
        """The newest day with postings at or before ``before`` (None: any)."""
        newest = self.store.scalar("SELECT max(day) FROM read_grams WHERE day <= ?",
                                   ((_TOP if before is None else before) // DAY,))
        return int(newest) if newest is not None else floor // DAY - 1

    @staticmethod
    def _floor_for(newest: int, now: float) -> int:
        """The midnight (UTC) a window before the newest read. A read dated in the future (a
        camera's clock) must not move the window past today."""
        return (min(newest, int(now) + DAY) - WINDOW_S) // DAY * DAY

    def _window_reads(self, at: int, rid: int | None, top: int | None) -> int:
        return int(self.store.scalar(
            "SELECT count(*) FROM reads INDEXED BY reads_time WHERE (recorded_at, id) > (?, ?) "
            "AND id <= ?", (at, rid if rid is not None else -1,
                            top if top is not None else _TOP)) or 0)

    def _added_since(self, indexed_to: int) -> int:
        top = self.store.scalar("SELECT max(id) FROM reads")
        return max(0, int(top or 0) - indexed_to)

