"""The counts the health signals are computed from (core/health.py): per camera and hour, how
many reads, the first and last second, how many share a second, how many plates were
unreadable; and reads stamped in the future. Counts and times only, never a plate.

Grouping 30 days of reads by camera and hour is a sort of every read in them (about 2 s for
400,000 on a loaded machine), so the counts of hours already grouped are kept (health_hours,
migration 0013) and only hours that are new, or that received a read since (a read id above
the one covered), are grouped again. Reads never change hour or camera; the purge deletes
only reads far older than the hours kept."""

from __future__ import annotations

from alpr_desktop.core.health import HOUR, LOW_CONFIDENCE, FutureReads, HourBucket
from alpr_desktop.storage.db import Store

KEEP_HOURS = 100 * 24  # counts older than this are dropped (the signals look 90 days back)
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


class HealthQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def hour_buckets(self, since_s: int, until_s: int) -> list[HourBucket]:
        """One row per camera and hour with reads in [since_s, until_s), brought up to date
        first (a write: call it inside the caller's transaction or alone)."""
        first, last = since_s // HOUR, (until_s - 1) // HOUR + 1
        self._refresh(first, last)
        rows = self.store.query(
            "SELECT camera_id, hour, reads, first_s, last_s, same_second, unreadable "
            "FROM health_hours WHERE hour >= ? AND hour < ?", (first, last))
        out = []
        for r in rows:
            b = HourBucket(*r)  # integer columns
            if (b.hour == first and since_s % HOUR) or (b.hour == last - 1 and until_s % HOUR):
                continue  # partial hours at the edges: counted exactly below
            out.append(b)
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
                c.executemany(
                    "INSERT INTO health_hours(hour, camera_id, reads, first_s, last_s, "
                    "same_second, unreadable) VALUES (?,?,?,?,?,?,?)",
                    [(x.hour, x.camera_id, x.reads, x.first_s, x.last_s, x.same_second,
                      x.unreadable) for x in rows])
            c.execute("DELETE FROM health_hours WHERE hour < ?", (lo,))
            c.execute("INSERT INTO health_cover(id, from_hour, to_hour, covered_to_id) "
                      "VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET from_hour = "
                      "excluded.from_hour, to_hour = excluded.to_hour, "
                      "covered_to_id = excluded.covered_to_id", (lo, hi, top))

    def future_reads(self, after_s: int) -> list[FutureReads]:
        rows = self.store.query(
            "SELECT camera_id, count(*), min(recorded_at), max(recorded_at) FROM reads "
            "WHERE recorded_at > ? GROUP BY camera_id", (after_s,))
        return [FutureReads(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def camera_names(self) -> dict[int, str]:
        return {int(r[0]): str(r[1]) for r in self.store.query("SELECT id, name FROM cameras")}
