"""Requests for a custodian's approval of account changes: rows in, AccountRequest out."""

from __future__ import annotations

from alpr_desktop.core.approvals import AccountRequest, Decision, RequestKind
from alpr_desktop.core.roles import Role
from alpr_desktop.storage.accounts import decode_roles, encode_roles
from alpr_desktop.storage.db import Store

_SELECT = (
    "SELECT r.id, r.kind, r.user_id, u.username, u.full_name, u.organization, u.badge_number, "
    "u.sworn, r.roles_from, r.roles_to, r.requested_by, q.username, r.requested_ms, "
    "r.decision, coalesce(d.username, ''), r.decided_ms, r.reason "
    "FROM account_requests r JOIN users u ON u.id = r.user_id "
    "JOIN users q ON q.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by"
)


def _row(row: tuple) -> AccountRequest:
    return AccountRequest(
        id=row[0], kind=RequestKind(row[1]), user_id=row[2], username=row[3],
        full_name=row[4], organization=row[5], badge_number=row[6], sworn=bool(row[7]),
        roles_from=decode_roles(row[8]), roles_to=decode_roles(row[9]),
        requested_by_id=row[10], requested_by=row[11], requested_ms=row[12],
        decision=Decision(row[13]) if row[13] else None, decided_by=row[14],
        decided_ms=row[15], reason=row[16],
    )


class AccountRequestRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, kind: RequestKind, user_id: int, roles_from: frozenset[Role],
        roles_to: frozenset[Role], requested_by: int, now_ms: int,
    ) -> AccountRequest:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO account_requests(user_id, kind, roles_from, roles_to, "
                "requested_by, requested_ms) VALUES (?,?,?,?,?,?)",
                (user_id, str(kind), encode_roles(roles_from), encode_roles(roles_to),
                 requested_by, now_ms),
            )
            request_id = int(cur.lastrowid)
        found = self.get(request_id)
        assert found is not None
        return found

    def get(self, request_id: int) -> AccountRequest | None:
        row = self.store.query_one(f"{_SELECT} WHERE r.id = ?", (request_id,))
        return _row(row) if row else None

    def open_for(self, user_id: int) -> AccountRequest | None:
        row = self.store.query_one(
            f"{_SELECT} WHERE r.user_id = ? AND r.decision IS NULL", (user_id,)
        )
        return _row(row) if row else None

    def list(self, *, open_only: bool = True, limit: int = 500) -> list[AccountRequest]:
        """Open requests oldest first; with ``open_only`` False, every request newest first."""
        if open_only:
            sql = f"{_SELECT} WHERE r.decision IS NULL ORDER BY r.requested_ms, r.id LIMIT ?"
        else:
            sql = f"{_SELECT} ORDER BY r.requested_ms DESC, r.id DESC LIMIT ?"
        return [_row(r) for r in self.store.query(sql, (limit,))]

    def decide(
        self, request_id: int, decision: Decision, decided_by: int, now_ms: int, reason: str
    ) -> bool:
        """Close an open request; False when it was already decided (by someone else)."""
        with self.store.transaction() as c:
            cur = c.execute(
                "UPDATE account_requests SET decision = ?, decided_by = ?, decided_ms = ?, "
                "reason = ? WHERE id = ? AND decision IS NULL",
                (str(decision), decided_by, now_ms, reason, request_id),
            )
            return cur.rowcount == 1
