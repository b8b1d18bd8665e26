"""The counts the health signals are computed from (core/health.py): per camera and hour, how
many reads, the first and last second, how many share a second, how many plates were
unreadable; and reads stamped in the future. Counts and times only, never a plate.

Grouping 30 days of reads by camera and hour is a sort of every read in them (about 2 s for
400,000 on a loaded machine), so the counts of hours already grouped are kept (health_hours,
migration 0013) and only hours that are new, or that received a read since (a read id above
the one covered), are grouped again. Reads never change hour or camera; the purge deletes
only reads far older than the hours kept.

The import keeps the counts up to date itself (``count_added``, in each batch's transaction:
the batch's own reads grouped by their ids, a fraction of the batch's cost), so the first look
after an import groups nothing. Each camera's last read is kept the same way
(camera_last_read, migration 0018), for a camera silent through the whole period looked at."""

from __future__ import annotations

from alpr_desktop.core.health import HOUR, LOW_CONFIDENCE, FutureReads, HourBucket
from alpr_desktop.storage.db import Connection, Store

KEEP_HOURS = 100 * 24  # counts older than this are dropped (the signals look 90 days back)
# Reads stored without their counts (not by the import) that an import batch counts along with
# its own; more are left to the next look, as grouping them would hold up the import.
CATCH_UP_MAX = 100_000
_COUNTS = (
    "count(*), min(r.recorded_at), max(r.recorded_at), count(*) - count(DISTINCT r.recorded_at), "
    "sum(CASE WHEN (r.confidence > 0 AND r.confidence < ?) OR length(r.plate) < 3 "
    "THEN 1 ELSE 0 END)"
)
# One batch just inserted: its reads are the ids from the first one allocated (a range of the
# table's own key, no sort of the store).
_GROUP_IDS = (
    f"SELECT r.recorded_at / 3600 AS h, r.camera_id, {_COUNTS} FROM reads r "
    "WHERE r.id >= ? GROUP BY h, r.camera_id"
)
_GROUP = (
    "SELECT r.recorded_at / 3600 AS h, r.camera_id, count(*), min(r.recorded_at), "
    "max(r.recorded_at), count(*) - count(DISTINCT r.recorded_at), "
    "sum(CASE WHEN (r.confidence > 0 AND r.confidence < ?) OR length(r.plate) < 3 "
    "THEN 1 ELSE 0 END) "
    "FROM reads r INDEXED BY reads_time WHERE r.recorded_at >= ? AND r.recorded_at < ? "
    "GROUP BY h, r.camera_id"
)


def _ranges(hours: list[int]) -> list[tuple[int, int]]:
    """Sorted hours as [first, last + 1) runs."""
    out: list[tuple[int, int]] = []
    for h in sorted(hours):
        if out and out[-1][1] == h:
            out[-1] = (out[-1][0], h + 1)
        else:
            out.append((h, h + 1))
    return out


def _insert_hours(c: Connection, rows: list[HourBucket]) -> None:
    c.executemany(
        "INSERT INTO health_hours(hour, camera_id, reads, first_s, last_s, same_second, "
        "unreadable) VALUES (?,?,?,?,?,?,?)",
        [(x.hour, x.camera_id, x.reads, x.first_s, x.last_s, x.same_second, x.unreadable)
         for x in rows])


def _set_cover(c: Connection, lo: int, hi: int, top: int) -> None:
    c.execute("INSERT INTO health_cover(id, from_hour, to_hour, covered_to_id) "
              "VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET from_hour = "
              "excluded.from_hour, to_hour = excluded.to_hour, "
              "covered_to_id = excluded.covered_to_id", (lo, hi, top))


def _set_last_cover(c: Connection, top: int) -> None:
    c.execute("INSERT INTO camera_last_cover(id, covered_to_id) VALUES (1, ?) "
              "ON CONFLICT(id) DO UPDATE SET covered_to_id = excluded.covered_to_id", (top,))


class HealthQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def hour_buckets(self, since_s: int, until_s: int) -> list[HourBucket]:
        """One row per camera and hour with reads in [since_s, until_s), brought up to date
        first (a write: call it inside the caller's transaction or alone)."""
        first, last = since_s // HOUR, (until_s - 1) // HOUR + 1
        self._refresh(first, last)
        # partial hours at the edges are counted exactly below, from the reads
        whole_from = first + (1 if since_s % HOUR else 0)
        whole_to = last - (1 if until_s % HOUR else 0)
        out = list(map(HourBucket._make, self.store.query(
            "SELECT camera_id, hour, reads, first_s, last_s, same_second, unreadable "
            "FROM health_hours WHERE hour >= ? AND hour < ?", (whole_from, whole_to))))
        out += self._group(max(since_s, first * HOUR), min(until_s, first * HOUR + HOUR)) \
            if since_s % HOUR else []
        if until_s % HOUR and (last - 1) * HOUR >= since_s:
            out += self._group(max(since_s, (last - 1) * HOUR), until_s)
        return out

    def _group(self, a: int, b: int) -> list[HourBucket]:
        return [HourBucket(int(r[1]), int(r[0]), int(r[2]), int(r[3]), int(r[4]), int(r[5]),
                           int(r[6] or 0))
                for r in self.store.query(_GROUP, (LOW_CONFIDENCE, a, b))]

    def _refresh(self, first: int, last: int) -> None:
        """Group again the hours that are new or received reads, without holding the write
        lock while grouping (seconds for a month of reads: the purge and the log must not
        wait); then store the counts in one short transaction. ``top`` is read first, so a
        read committed meanwhile has a higher id and is grouped again next time."""
        top = int(self.store.scalar("SELECT coalesce(max(id), 0) FROM reads"))
        cover = self.store.query_one(
            "SELECT from_hour, to_hour, covered_to_id FROM health_cover WHERE id = 1")
        dirty: set[int] = set()
        reset = False
        if cover is None:
            lo, hi = first, last
            dirty.update(range(first, last))
        else:
            lo, hi, seen = int(cover[0]), int(cover[1]), int(cover[2])
            if first > hi or last < lo:  # not touching what is kept: start again
                reset, lo, hi = True, first, last
            dirty.update(h for h in range(first, last) if reset or not lo <= h < hi)
            lo, hi = min(lo, first), max(hi, last)
            if top > seen and not reset:  # reads added since: their hours again
                dirty.update(int(r[0]) for r in self.store.query(
                    "SELECT DISTINCT recorded_at / 3600 FROM reads WHERE id > ? "
                    "AND recorded_at >= ? AND recorded_at < ?", (seen, lo * HOUR, hi * HOUR)))
        counted = [(a, b, self._group(a * HOUR, b * HOUR)) for a, b in _ranges(list(dirty))]
        lo = max(lo, hi - KEEP_HOURS)
        if cover is not None and not dirty and not reset and (lo, hi, top) == tuple(
                int(x) for x in cover):
            return  # nothing new: no write, no commit to wait for
        with self.store.transaction() as c:
            if reset:
                c.execute("DELETE FROM health_hours")
            for a, b, rows in counted:
                c.execute("DELETE FROM health_hours WHERE hour >= ? AND hour < ?", (a, b))
                _insert_hours(c, rows)
            c.execute("DELETE FROM health_hours WHERE hour < ?", (lo,))
            _set_cover(c, lo, hi, top)

    # -- kept by the import ---------------------------------------------------------------
    def count_added(self, first_id: int, now_s: int,
                    counted: list[HourBucket] | None = None) -> None:
        """Fold the reads with id >= ``first_id`` (one batch, just inserted in the caller's
        transaction) into the kept counts and last reads. Counts behind the store (reads added
        by another path since the last look) cannot take the batch as it is: a few such reads
        are grouped now with the batch's hours, more are left for the next look. Hours past
        the next one are not kept (a clock far ahead must not push the kept window off the
        present). ``counted``: the batch's counts when the caller has them (exactly the reads
        from ``first_id`` on), else they are grouped here."""
        before = int(self.store.scalar(
            "SELECT coalesce(max(id), 0) FROM reads WHERE id < ?", (first_id,)))
        top = int(self.store.scalar("SELECT coalesce(max(id), 0) FROM reads"))
        if top < first_id:
            return
        batch = counted if counted is not None else [
            HourBucket(int(r[1]), int(r[0]), int(r[2]), int(r[3]), int(r[4]), int(r[5]),
                       int(r[6] or 0))
            for r in self.store.query(_GROUP_IDS, (LOW_CONFIDENCE, first_id))]
        with self.store.transaction() as c:
            self._fold_last_reads(c, batch, before, top)
            self._fold_hours(c, batch, before, top, now_s // HOUR + 2)

    def _fold_last_reads(self, c: Connection, batch: list[HourBucket], before: int,
                         top: int) -> None:
        if self._last_cover() != before:
            return  # behind: last_reads() catches up first
        last: dict[int, int] = {}
        for b in batch:
            last[b.camera_id] = max(last.get(b.camera_id, b.last_s), b.last_s)
        c.executemany(
            "INSERT INTO camera_last_read(camera_id, last_s) VALUES (?, ?) ON CONFLICT"
            "(camera_id) DO UPDATE SET last_s = max(last_s, excluded.last_s)",
            list(last.items()))
        _set_last_cover(c, top)

    def _fold_hours(self, c: Connection, batch: list[HourBucket], before: int, top: int,
                    cap: int) -> None:
        cover = self.store.query_one(
            "SELECT from_hour, to_hour, covered_to_id FROM health_cover WHERE id = 1")
        kept = [b for b in batch if b.hour < cap]
        if cover is None:
            if before or not kept:
                return  # reads counted by no one yet: the first look groups them
            hi = max(b.hour for b in kept) + 1
            lo = max(min(b.hour for b in kept), hi - KEEP_HOURS)
            regroup: list[tuple[int, int]] = []
            fresh = [b for b in kept if b.hour >= lo]
        else:
            lo, hi, seen = (int(x) for x in cover)
            if seen != before:
                if before - seen <= CATCH_UP_MAX:  # a few reads stored another way: group
                    self._refresh(lo, hi)  # their hours and the batch's again, now
                return
            # an hour already counted that got reads of a camera it had: grouped again
            # (a read sharing its second with an older one cannot be told from the batch)
            span = [b.hour for b in kept]
            had = {(int(r[0]), int(r[1])) for r in self.store.query(
                "SELECT hour, camera_id FROM health_hours WHERE hour >= ? AND hour <= ?",
                (min(span), max(span)))} if span else set()
            again = {b.hour for b in kept if lo <= b.hour < hi and (b.hour, b.camera_id) in had}
            regroup = _ranges(list(again))
            fresh = [b for b in kept if lo <= b.hour < hi and b.hour not in again]
            new_hi = max([hi, *(b.hour + 1 for b in kept)])
            if new_hi > hi:
                # hours not kept before: the batch's counts are theirs unless an older read
                # is there too (one stamped ahead of the last look), then grouped whole
                older = self.store.query_one(
                    "SELECT 1 FROM reads INDEXED BY reads_time WHERE recorded_at >= ? "
                    "AND recorded_at < ? AND id <= ? LIMIT 1",
                    (hi * HOUR, new_hi * HOUR, before))
                if older is None:
                    fresh += [b for b in kept if b.hour >= hi]
                else:
                    regroup.append((hi, new_hi))
            hi = new_hi
            lo = max(lo, hi - KEEP_HOURS)
        for a, b_ in regroup:
            rows = self._group(max(a, lo) * HOUR, b_ * HOUR) if b_ > lo else []
            c.execute("DELETE FROM health_hours WHERE hour >= ? AND hour < ?", (a, b_))
            fresh += rows
        _insert_hours(c, fresh)
        c.execute("DELETE FROM health_hours WHERE hour < ?", (lo,))
        _set_cover(c, lo, hi, top)

    def _last_cover(self) -> int:
        return int(self.store.scalar(
            "SELECT coalesce((SELECT covered_to_id FROM camera_last_cover WHERE id = 1), 0)"))

    def last_reads(self) -> dict[int, int]:
        """Each camera's last read (UTC seconds); a camera never read is absent. Reads added
        since the kept values (by a path that keeps none) are grouped first, by id (a write:
        call it inside the caller's transaction or alone)."""
        seen = self._last_cover()
        top = int(self.store.scalar("SELECT coalesce(max(id), 0) FROM reads"))
        if top > seen:
            rows = self.store.query(
                "SELECT camera_id, max(recorded_at) FROM reads WHERE id > ? GROUP BY camera_id",
                (seen,))
            with self.store.transaction() as c:
                c.executemany(
                    "INSERT INTO camera_last_read(camera_id, last_s) VALUES (?, ?) ON CONFLICT"
                    "(camera_id) DO UPDATE SET last_s = max(last_s, excluded.last_s)",
                    [(int(r[0]), int(r[1])) for r in rows])
                _set_last_cover(c, top)
        return {int(r[0]): int(r[1])
                for r in self.store.query("SELECT camera_id, last_s FROM camera_last_read")}

    def future_reads(self, after_s: int) -> list[FutureReads]:
        rows = self.store.query(
            "SELECT camera_id, count(*), min(recorded_at), max(recorded_at) FROM reads "
            "WHERE recorded_at > ? GROUP BY camera_id", (after_s,))
        return [FutureReads(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def camera_names(self) -> dict[int, str]:
        return {int(r[0]): str(r[1]) for r in self.store.query("SELECT id, name FROM cameras")}
