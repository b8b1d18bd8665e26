"""Contractor written permissions (policy §2): rows in, WrittenPermission out."""

from __future__ import annotations

from alpr_desktop.core.accounts import DataWindow, WrittenPermission
from alpr_desktop.storage.db import Store

_SELECT = (
    "SELECT p.id, p.reference, p.contractor_user_id, cu.username, p.purpose, p.data_from, "
    "p.data_to, p.expires_ms, gu.username, p.granted_ms, p.case_number, p.revoked_ms, "
    "ru.username, p.revoke_reason FROM permissions p "
    "JOIN users cu ON cu.id = p.contractor_user_id "
    "JOIN users gu ON gu.id = p.granted_by "
    "LEFT JOIN users ru ON ru.id = p.revoked_by "
)


def _row(row: tuple) -> WrittenPermission:
    return WrittenPermission(
        id=row[0], reference=row[1], contractor_user_id=row[2], contractor_username=row[3],
        purpose=row[4], window=DataWindow(row[5], row[6]), expires_ms=row[7],
        granted_by=row[8], granted_ms=row[9], case_number=row[10], revoked_ms=row[11],
        revoked_by=row[12], revoke_reason=row[13],
    )


class PermissionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        *,
        reference: str,
        contractor_user_id: int,
        purpose: str,
        case_number: str,
        window: DataWindow,
        expires_ms: int,
        granted_by: int,
        granted_ms: int,
    ) -> WrittenPermission:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO permissions(reference, contractor_user_id, purpose, case_number, "
                "data_from, data_to, expires_ms, granted_by, granted_ms) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    reference, contractor_user_id, purpose, case_number, window.start,
                    window.end, expires_ms, granted_by, granted_ms,
                ),
            )
            pid = int(cur.lastrowid)
        found = self.get(pid)
        assert found is not None
        return found

    def get(self, permission_id: int) -> WrittenPermission | None:
        row = self.store.query_one(_SELECT + "WHERE p.id = ?", (permission_id,))
        return _row(row) if row else None

    def all(self) -> list[WrittenPermission]:
        return [_row(r) for r in self.store.query(_SELECT + "ORDER BY p.granted_ms DESC, p.id")]

    def active_for(self, contractor_user_id: int, now_ms: int) -> list[WrittenPermission]:
        rows = self.store.query(
            _SELECT + "WHERE p.contractor_user_id = ? AND p.revoked_ms IS NULL "
            "AND p.granted_ms <= ? AND p.expires_ms > ? ORDER BY p.expires_ms, p.id",
            (contractor_user_id, now_ms, now_ms),
        )
        return [_row(r) for r in rows]

    def revoke(self, permission_id: int, revoked_by: int, reason: str, now_ms: int) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE permissions SET revoked_ms = ?, revoked_by = ?, revoke_reason = ? "
                "WHERE id = ? AND revoked_ms IS NULL",
                (now_ms, revoked_by, reason, permission_id),
            )
