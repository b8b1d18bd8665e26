"""Declared purposes: one row each, with at most one open purpose per user."""

from __future__ import annotations

from alpr_desktop.core.accounts import ActivePurpose
from alpr_desktop.core.purposes import Purpose, PurposeCategory
from alpr_desktop.storage.db import Store

_COLUMNS = (
    "id, user_id, category, offense, case_number, narrative, requesting_agency, "
    "requester_name, declared_ms, ended_ms, ended_reason, permission_id"
)


def _row(row: tuple) -> ActivePurpose:
    purpose = Purpose(
        category=PurposeCategory(row[2]), offense=row[3], case_number=row[4],
        narrative=row[5], requesting_agency=row[6], requester_name=row[7],
    )
    return ActivePurpose(
        id=row[0], user_id=row[1], purpose=purpose, declared_ms=row[8], ended_ms=row[9],
        ended_reason=row[10], permission_id=row[11],
    )


class PurposeRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        user_id: int,
        purpose: Purpose,
        fingerprint: str,
        now_ms: int,
        permission_id: int | None = None,
    ) -> ActivePurpose:
        """Record a newly declared purpose; the caller ends the user's open one first."""
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO purposes(user_id, category, offense, case_number, narrative, "
                "requesting_agency, requester_name, narrative_fp, declared_ms, permission_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    user_id, str(purpose.category), purpose.offense, purpose.case_number,
                    purpose.narrative, purpose.requesting_agency, purpose.requester_name,
                    fingerprint, now_ms, permission_id,
                ),
            )
            pid = int(cur.lastrowid)
        found = self.get(pid)
        assert found is not None
        return found

    def get(self, purpose_id: int) -> ActivePurpose | None:
        row = self.store.query_one(f"SELECT {_COLUMNS} FROM purposes WHERE id = ?", (purpose_id,))
        return _row(row) if row else None

    def open_for(self, user_id: int) -> ActivePurpose | None:
        row = self.store.query_one(
            f"SELECT {_COLUMNS} FROM purposes WHERE user_id = ? AND ended_ms IS NULL",
            (user_id,),
        )
        return _row(row) if row else None

    def end_open(self, user_id: int, reason: str, now_ms: int) -> ActivePurpose | None:
        """End the user's open purpose, if any, and return it as it was."""
        current = self.open_for(user_id)
        if current is None:
            return None
        with self.store.transaction() as c:
            c.execute(
                "UPDATE purposes SET ended_ms = ?, ended_reason = ? WHERE id = ?",
                (now_ms, reason, current.id),
            )
        return current

    def open_under_permission(self, permission_id: int) -> list[ActivePurpose]:
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM purposes WHERE permission_id = ? AND ended_ms IS NULL",
            (permission_id,),
        )
        return [_row(r) for r in rows]

    def end(self, purpose_id: int, reason: str, now_ms: int) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE purposes SET ended_ms = ?, ended_reason = ? "
                "WHERE id = ? AND ended_ms IS NULL",
                (now_ms, reason, purpose_id),
            )

    def narratives_of_others(self, user_id: int, limit: int = 2000) -> list[str]:
        """Recent distinct narratives of other users, newest first, for copy detection."""
        rows = self.store.query(
            "SELECT narrative FROM purposes WHERE user_id != ? GROUP BY narrative_fp "
            "ORDER BY max(declared_ms) DESC LIMIT ?",
            (user_id, limit),
        )
        return [r[0] for r in rows]
