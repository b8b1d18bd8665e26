"""The counts the health signals are computed from (core/health.py): per camera and hour, how
many reads, the first and last second, how many share a second, how many plates were
unreadable; and reads stamped in the future. Counts and times only, never a plate."""

from __future__ import annotations

from alpr_desktop.core.health import LOW_CONFIDENCE, FutureReads, HourBucket
from alpr_desktop.storage.db import Store


class HealthQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def hour_buckets(self, since_s: int, until_s: int) -> list[HourBucket]:
        """One row per camera and hour with reads in [since_s, until_s): one range walk of
        the reads_time index, grouped."""
        rows = self.store.query(
            "SELECT r.camera_id, r.recorded_at / 3600 AS h, count(*), min(r.recorded_at), "
            "max(r.recorded_at), count(*) - count(DISTINCT r.recorded_at), "
            "sum(CASE WHEN (r.confidence > 0 AND r.confidence < ?) OR length(r.plate) < 3 "
            "THEN 1 ELSE 0 END) "
            "FROM reads r INDEXED BY reads_time WHERE r.recorded_at >= ? AND r.recorded_at < ? "
            "GROUP BY r.camera_id, h",
            (LOW_CONFIDENCE, since_s, until_s),
        )
        return [HourBucket(int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]),
                           int(r[6] or 0)) for r in rows]

    def future_reads(self, after_s: int) -> list[FutureReads]:
        rows = self.store.query(
            "SELECT camera_id, count(*), min(recorded_at), max(recorded_at) FROM reads "
            "WHERE recorded_at > ? GROUP BY camera_id", (after_s,))
        return [FutureReads(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def camera_names(self) -> dict[int, str]:
        return {int(r[0]): str(r[1]) for r in self.store.query("SELECT id, name FROM cameras")}
