"""Counts for the public transparency report: aggregates only, never a row of a read, a plate,
a username or a case number. Tables that other capabilities add (purges, holds, maintenance)
are counted when they exist and reported as not recorded otherwise."""

from __future__ import annotations

from alpr_desktop.storage.db import Store

SEARCH_EVENTS = ("search", "search.batch")


class TransparencyQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def has_table(self, name: str) -> bool:
        return self.store.query_one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None

    def cameras(self, start_s: int, end_s: int) -> list[tuple[str, int, bool]]:
        """Every camera: name, reads recorded in the period, active."""
        rows = self.store.query(
            "SELECT c.name, (SELECT count(*) FROM reads r WHERE r.camera_id = c.id AND "
            "r.recorded_at BETWEEN ? AND ?), c.active FROM cameras c ORDER BY c.name",
            (start_s, end_s))
        return [(str(r[0]), int(r[1]), bool(r[2])) for r in rows]

    def reads_collected(self, start_s: int, end_s: int) -> int:
        row = self.store.query_one(
            "SELECT count(*) FROM reads WHERE recorded_at BETWEEN ? AND ?", (start_s, end_s))
        return int(row[0]) if row else 0

    def reads_held(self) -> int:
        row = self.store.query_one("SELECT count(*) FROM reads")
        return int(row[0]) if row else 0

    def searches_by_purpose(self, start_ms: int, end_ms: int) -> list[tuple[str, str, int]]:
        """(category, offense, searches) for searches that ran in the period."""
        marks = ",".join("?" * len(SEARCH_EVENTS))
        rows = self.store.query(
            "SELECT coalesce(json_extract(purpose, '$.category'), ''), "
            "coalesce(json_extract(purpose, '$.offense'), ''), count(*) FROM access_log "
            f"WHERE event IN ({marks}) AND outcome = 'ok' AND ts_ms BETWEEN ? AND ? "
            "GROUP BY 1, 2 ORDER BY 3 DESC",
            (*SEARCH_EVENTS, start_ms, end_ms))
        return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    def refused_searches(self, start_ms: int, end_ms: int) -> list[tuple[str, int]]:
        """(reason, count) of searches the gate refused in the period. A refused count of a
        search (``"count": true`` in the attempt, services/attempted.py) is not a search; nor
        is a search's count ("search.count", not among SEARCH_EVENTS)."""
        rows = self.store.query(
            "SELECT coalesce(json_extract(detail, '$.reason'), ''), count(*) FROM access_log "
            "WHERE event = 'gate.refused' AND json_extract(query, '$.action') = 'search_reads' "
            "AND json_extract(query, '$.count') IS NOT 1 "
            "AND ts_ms BETWEEN ? AND ? GROUP BY 1 ORDER BY 2 DESC", (start_ms, end_ms))
        return [(str(r[0]), int(r[1])) for r in rows]

    def disclosures(self, start_ms: int, end_ms: int) -> list[tuple[str, int, int]]:
        """(receiving agency, disclosures made, disclosures refused) in the period."""
        rows = self.store.query(
            "SELECT coalesce(json_extract(detail, '$.recipient_agency'), ''), "
            "sum(outcome = 'ok'), sum(outcome <> 'ok') FROM access_log "
            "WHERE event = 'disclosure' AND ts_ms BETWEEN ? AND ? GROUP BY 1 ORDER BY 2 DESC",
            (start_ms, end_ms))
        return [(str(r[0]), int(r[1] or 0), int(r[2] or 0)) for r in rows]

    def purged(self, start_ms: int, end_ms: int) -> int | None:
        """Reads deleted by the retention purge in runs that started in the period, from the
        purge records (policy §8); None on a store without them."""
        if not self.has_table("purges"):
            return None
        row = self.store.query_one(
            "SELECT coalesce(sum(reads_deleted), 0) FROM purges "
            "WHERE started_ms BETWEEN ? AND ?", (start_ms, end_ms))
        return int(row[0]) if row else 0

    def count_rows(self, table: str, where: str = "", params: tuple = ()) -> int | None:
        """Rows of an optional table (holds, maintenance, problems), None when absent."""
        if table not in ("holds", "maintenance_checks", "maintenance_problems") \
                or not self.has_table(table):
            return None
        row = self.store.query_one(f"SELECT count(*) FROM {table} {where}", params)
        return int(row[0]) if row else 0

    def incidents(self, start_ms: int, end_ms: int) -> int:
        if not self.has_table("incidents"):
            return 0
        row = self.store.query_one(
            "SELECT count(*) FROM incidents WHERE discovered_ms BETWEEN ? AND ?",
            (start_ms, end_ms))
        return int(row[0]) if row else 0

    def setting(self, key: str) -> str | None:
        return self.store.get_setting(key)
