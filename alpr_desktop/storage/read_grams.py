"""Trigram postings of the recent reads (migration 0026, issue 20): kept here, read by the
search planner (storage/plate_search.py).

The postings hold, for every read recorded in the last ``WINDOW_S`` seconds before the
newest read, one entry per three-character run of its plate: (run, recorded_at, read id,
plate id), in key order. The newest reads whose plate contains a run are then one range of
one index, so a page of a broad pattern costs about a page of entries at any store size
instead of a probe per matching plate.

They are built after imports, not by them: ``step`` does one short transaction of work (the
first build from reads_time, then the reads added since, then sweeping what fell below a
raised floor), and ``ReadGrams.ready`` tells a search whether they cover every read in the
window. They do not until ``step`` has caught up, and a search then pages as it did before:
always correct, faster once posted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.storage.db import Store

WINDOW_S = 31 * 86_400  # the recent window posted: about a month before the newest read
FLOOR_STEP_S = 86_400  # the floor rises in steps of at least a day (each step sweeps once)
BATCH_READS = 25_000  # reads posted per transaction (a transaction stays well under a second)
SWEEP_GRAMS = 2_000  # runs swept below a raised floor per transaction
GRAM = 3
_TOP = 2**62  # above any read id or time: a keyset position before everything
# A plate has at most core.plates.MAX_PLATE_LEN (10) characters: runs start at 1 to 8.
_POSITIONS = "json_each('[1,2,3,4,5,6,7,8]') k"
_GRAMS_OF = (f"SELECT substr(p.plate_norm, k.value, {GRAM}), r.recorded_at, r.id, r.plate_id "
             f"FROM {{reads}} JOIN plates p ON p.id = r.plate_id, {_POSITIONS} "
             f"WHERE k.value <= length(p.plate_norm) - {GRAM - 1}")


@dataclass(frozen=True)
class GramState:
    """Where the postings stand (read_grams_state)."""

    floor: int | None  # reads recorded from here on are posted; None: never built
    low: int | None  # no posting is older than this
    indexed_to: int  # reads with ids up to this one are posted, once built
    building_at: tuple[int, int] | None  # the first build's (recorded_at, id), while it runs
    sweep_gram: str | None  # the sweep below a raised floor, while it runs

    @property
    def built(self) -> bool:
        return self.floor is not None and self.building_at is None


@dataclass(frozen=True)
class Posting:
    recorded_at: int
    read_id: int
    plate_id: int


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
            "SELECT floor, low, indexed_to, built_to_at, built_to_id, sweep_gram "
            "FROM read_grams_state WHERE id = 1")
        if row is None:
            return GramState(None, None, 0, None, None)
        floor, low, indexed_to, at, rid, sweep = row
        return GramState(floor, low, int(indexed_to),
                         None if at is None else (int(at), int(rid)), sweep)

    def ready(self) -> int | None:
        """The floor when the postings cover every read recorded from it on (built, and no
        read added since the last step); else None. One short query."""
        row = self.store.query_one(
            "SELECT s.floor FROM read_grams_state s WHERE s.id = 1 AND s.floor IS NOT NULL "
            "AND s.built_to_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM reads WHERE id > s.indexed_to)")
        return None if row is None else int(row[0])

    def pending(self) -> int:
        """Reads still to post, about (for progress): the rest of the first build's window,
        or the reads added since the last step."""
        s = self.state()
        if s.floor is None:
            newest = self._newest()
            if newest is None:
                return 0
            return self._window_reads(self._floor_for(newest, time.time()), None, None)
        if s.building_at is not None:
            return self._window_reads(s.building_at[0], s.building_at[1], s.indexed_to) + \
                self._added_since(s.indexed_to)
        return self._added_since(s.indexed_to)

    # -- keeping them ----------------------------------------------------------------------
    def step(self, now: float | None = None, batch: int = BATCH_READS) -> int:
        """One transaction of work, in this order: start the first build, continue it, post
        the reads added since, raise the floor, sweep below it. Returns the reads (or runs
        swept) handled; 0 when there is nothing to do."""
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
            if s.sweep_gram is not None:
                return self._sweep(s)
            return self._raise_floor(s, now)

    def run(self, *, cancelled: Callable[[], bool] = lambda: False,
            progress: Callable[[int, int], object] | None = None,
            give_way: float = 0.2, now: float | None = None) -> int:
        """``step`` until nothing is left (or ``cancelled``; every step commits, so a cancel
        or a crash loses nothing and the next run goes on). Between steps this process's
        waiting writers (a search's log entry) go first. Returns the reads handled."""
        total = max(1, self.pending())
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
        last = end if end is not None else self.store.query_one(
            "SELECT recorded_at, id FROM reads INDEXED BY reads_time "
            "WHERE (recorded_at, id) > (?, ?) AND id <= ? "
            "ORDER BY recorded_at DESC, id DESC LIMIT 1", (at, rid, s.indexed_to))
        n = batch
        if last is not None:
            reads = ("(SELECT recorded_at, id, plate_id FROM reads INDEXED BY reads_time "
                     "WHERE (recorded_at, id) > (?, ?) AND (recorded_at, id) <= (?, ?) "
                     "AND id <= ?) r")
            bounds = (at, rid, int(last[0]), int(last[1]), s.indexed_to)
            self._insert(reads, bounds)
            if end is None:  # the last, partial batch
                n = int(self.store.scalar(
                    "SELECT count(*) FROM reads INDEXED BY reads_time WHERE (recorded_at, id) "
                    "> (?, ?) AND (recorded_at, id) <= (?, ?) AND id <= ?", bounds) or 0)
        if end is None:
            self.store.execute("UPDATE read_grams_state SET built_to_at = NULL, "
                               "built_to_id = NULL WHERE id = 1")
            return max(n, 1)
        self.store.execute("UPDATE read_grams_state SET built_to_at = ?, built_to_id = ? "
                           "WHERE id = 1", (int(end[0]), int(end[1])))
        return n

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
        # In key order: each run's new entries land together, not one leaf per entry.
        self.store.execute(
            "INSERT OR IGNORE INTO read_grams(gram, recorded_at, read_id, plate_id) "
            + _GRAMS_OF.format(reads=reads) + " ORDER BY 1, 2, 3", params)

    def _raise_floor(self, s: GramState, now: float) -> int:
        """Move the floor up to a window before the newest read (at most ``now``), once it
        has moved a day or more; the sweep then deletes what fell below it."""
        assert s.floor is not None
        newest = self._newest()
        if newest is None:
            return 0
        floor = self._floor_for(newest, now)
        if floor < s.floor + FLOOR_STEP_S:
            return 0
        self.store.execute("UPDATE read_grams_state SET floor = ?, sweep_gram = '' "
                           "WHERE id = 1", (floor,))
        return 1

    def _sweep(self, s: GramState) -> int:
        """Delete the postings below the floor, run by run (``SWEEP_GRAMS`` runs per step);
        when every run is swept, ``low`` catches up with the floor."""
        assert s.floor is not None and s.sweep_gram is not None
        gram, n = s.sweep_gram, 0
        while n < SWEEP_GRAMS:
            row = self.store.query_one(
                "SELECT gram FROM read_grams WHERE gram > ? ORDER BY gram LIMIT 1", (gram,))
            if row is None:
                self.store.execute("UPDATE read_grams_state SET low = floor, sweep_gram = NULL "
                                   "WHERE id = 1")
                return n + 1
            gram = str(row[0])
            self.store.execute("DELETE FROM read_grams WHERE gram = ? AND recorded_at < ?",
                               (gram, s.floor))
            n += 1
        self.store.execute("UPDATE read_grams_state SET sweep_gram = ? WHERE id = 1", (gram,))
        return n

    # -- reading them ----------------------------------------------------------------------
    def sparsest(self, grams: Sequence[str], floor: int, until: int | None) -> str:
        """Of a pattern's runs, the one whose postings are thinnest near the top of the
        window (its 256th newest is the oldest): its walk reads the fewest non-matches."""
        if len(grams) == 1:
            return grams[0]
        best, best_at = grams[0], None
        for g in grams:
            row = self.store.query_one(
                "SELECT recorded_at FROM read_grams WHERE gram = ? AND recorded_at >= ? "
                "AND recorded_at <= ? ORDER BY recorded_at DESC, read_id DESC "
                "LIMIT 1 OFFSET 255", (g, floor, until if until is not None else _TOP))
            if row is None:
                return g  # fewer than 256 in the window
            if best_at is None or int(row[0]) < best_at:
                best, best_at = g, int(row[0])
        return best

    def postings(self, gram: str, floor: int, until: int | None,
                 after: tuple[int, int] | None, limit: int) -> list[Posting]:
        """Up to ``limit`` postings of ``gram`` from ``floor`` on (to ``until``), newest
        first, strictly after the keyset position ``after`` = (recorded_at, read id)."""
        at, rid = after if after is not None else (_TOP, _TOP)
        if until is not None and until < at:
            at, rid = until, _TOP
        rows = self.store.query(
            "SELECT recorded_at, read_id, plate_id FROM read_grams WHERE gram = ? "
            "AND recorded_at >= ? AND (recorded_at, read_id) < (?, ?) "
            "ORDER BY recorded_at DESC, read_id DESC LIMIT ?", (gram, floor, at, rid, limit))
        return [Posting(int(a), int(b), int(c)) for a, b, c in rows]

    # -- helpers -------------------------------------------------------------------------
    def _newest(self) -> int | None:
        v = self.store.scalar("SELECT max(recorded_at) FROM reads")
        return None if v is None else int(v)

    @staticmethod
    def _floor_for(newest: int, now: float) -> int:
        # A read dated in the future (a camera's clock) must not move the window past today.
        return min(newest, int(now) + 86_400) - WINDOW_S

    def _window_reads(self, at: int, rid: int | None, top: int | None) -> int:
        return int(self.store.scalar(
            "SELECT count(*) FROM reads INDEXED BY reads_time WHERE (recorded_at, id) > (?, ?) "
            "AND id <= ?", (at, rid if rid is not None else -1,
                            top if top is not None else _TOP)) or 0)

    def _added_since(self, indexed_to: int) -> int:
        top = self.store.scalar("SELECT max(id) FROM reads")
        return max(0, int(top or 0) - indexed_to)

