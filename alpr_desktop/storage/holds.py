"""Evidence holds: a case number, a reason and the reads it keeps past retention."""

from __future__ import annotations

import json
from collections.abc import Sequence

from alpr_desktop.core.retention import HoldRecord
from alpr_desktop.storage.db import Store

_HOLD_SELECT = (
    "SELECT h.id, h.case_number, h.reason, h.requested_by, h.requested_ms, h.status, "
    "h.decided_by, h.decided_ms, h.decision_note, h.review_ms, h.released_by, h.released_ms, "
    "h.release_note, (SELECT count(*) FROM hold_reads hr WHERE hr.hold_id = h.id), "
    "(SELECT count(*) FROM hold_reads hr JOIN reads r ON r.id = hr.read_id "
    " WHERE hr.hold_id = h.id) FROM holds h"
)


class HoldRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def existing_reads(self, read_ids: Sequence[int]) -> list[int]:
        rows = self.store.query(
            "SELECT id FROM reads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps([int(i) for i in read_ids]),),
        )
        return [int(r[0]) for r in rows]

    def recorded_span(self, read_ids: Sequence[int]) -> tuple[int | None, int | None]:
        row = self.store.query_one(
            "SELECT min(recorded_at), max(recorded_at) FROM reads "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in read_ids]),),
        )
        return (row[0], row[1]) if row else (None, None)

    def add(self, case_number: str, reason: str, requested_by: str, requested_ms: int,
            read_ids: Sequence[int]) -> int:
        """Record a request (inside the caller's transaction)."""
        cur = self.store.execute(
            "INSERT INTO holds(case_number, reason, requested_by, requested_ms) "
            "VALUES (?, ?, ?, ?)", (case_number, reason, requested_by, requested_ms),
        )
        hold_id = int(cur.lastrowid)
        self.store.execute(
            "INSERT OR IGNORE INTO hold_reads(hold_id, read_id) "
            "SELECT ?, value FROM json_each(?)",
            (hold_id, json.dumps(sorted({int(i) for i in read_ids}))),
        )
        return hold_id

    def get(self, hold_id: int) -> HoldRecord | None:
        row = self.store.query_one(f"{_HOLD_SELECT} WHERE h.id = ?", (hold_id,))
        return HoldRecord(*row) if row else None

    def all(self, limit: int = 500) -> list[HoldRecord]:
        rows = self.store.query(
            f"{_HOLD_SELECT} ORDER BY CASE h.status WHEN 'requested' THEN 0 "
            "WHEN 'approved' THEN 1 ELSE 2 END, h.requested_ms DESC LIMIT ?", (limit,),
        )
        return [HoldRecord(*r) for r in rows]

    def decide(self, hold_id: int, status: str, by: str, now_ms: int, note: str,
               review_ms: int | None) -> bool:
        """Approve or refuse a waiting request; False when it was not waiting."""
        cur = self.store.execute(
            "UPDATE holds SET status = ?, decided_by = ?, decided_ms = ?, decision_note = ?, "
            "review_ms = ? WHERE id = ? AND status = 'requested'",
            (status, by, now_ms, note, review_ms, hold_id),
        )
        return cur.rowcount == 1

    def renew(self, hold_id: int, review_ms: int) -> bool:
        cur = self.store.execute(
            "UPDATE holds SET review_ms = ? WHERE id = ? AND status = 'approved'",
            (review_ms, hold_id),
        )
        return cur.rowcount == 1

    def release(self, hold_id: int, by: str, now_ms: int, note: str) -> bool:
        cur = self.store.execute(
            "UPDATE holds SET status = 'released', released_by = ?, released_ms = ?, "
            "release_note = ? WHERE id = ? AND status = 'approved'",
            (by, now_ms, note, hold_id),
        )
        return cur.rowcount == 1
