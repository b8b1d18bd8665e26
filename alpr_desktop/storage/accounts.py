"""User accounts: rows in, Account dataclasses out. The password hash never leaves storage
except inside UserRecord, which only the auth and account services use."""

from __future__ import annotations

from dataclasses import dataclass

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Role
from alpr_desktop.storage.db import Store

_COLUMNS = (
    "id, username, full_name, organization, badge_number, sworn, roles, active, "
    "must_change_password, failed_attempts, locked_until_ms, last_sign_in_ms, created_ms, "
    "updated_ms, password_hash, "
    "(SELECT kind FROM account_requests r WHERE r.user_id = users.id AND r.decision IS NULL)"
)


@dataclass(frozen=True)
class UserRecord:
    """An account with its password hash: for verifying passwords, never for display."""

    account: Account
    password_hash: str


def encode_roles(roles: frozenset[Role]) -> str:
    return ",".join(sorted(str(r) for r in roles))


def decode_roles(text: str) -> frozenset[Role]:
    """Known roles from the stored list; an unknown name (a newer program's role) is ignored
    rather than granted."""
    out = set()
    for name in text.split(","):
        try:
            out.add(Role(name.strip()))
        except ValueError:
            continue
    return frozenset(out)


def _row_to_record(row: tuple) -> UserRecord:
    account = Account(
        id=row[0], username=row[1], full_name=row[2], organization=row[3],
        badge_number=row[4], sworn=bool(row[5]), roles=decode_roles(row[6]),
        active=bool(row[7]), must_change_password=bool(row[8]), failed_attempts=row[9],
        locked_until_ms=row[10], last_sign_in_ms=row[11], created_ms=row[12],
        updated_ms=row[13], pending=row[15] or "",
    )
    return UserRecord(account, row[14])


class AccountRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def count(self) -> int:
        return int(self.store.scalar("SELECT count(*) FROM users"))

    def record(self, username: str) -> UserRecord | None:
        """Case-insensitive lookup by username."""
        row = self.store.query_one(
            f"SELECT {_COLUMNS} FROM users WHERE username = ?", (username,)
        )
        return _row_to_record(row) if row else None

    def record_by_id(self, user_id: int) -> UserRecord | None:
        row = self.store.query_one(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _row_to_record(row) if row else None

    def get(self, username: str) -> Account | None:
        rec = self.record(username)
        return rec.account if rec else None

    def get_by_id(self, user_id: int) -> Account | None:
        rec = self.record_by_id(user_id)
        return rec.account if rec else None

    def all(self) -> list[Account]:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM users ORDER BY username COLLATE NOCASE")
        return [_row_to_record(r).account for r in rows]

    def count_active_with_role(self, role: Role) -> int:
        return sum(1 for a in self.all() if a.active and role in a.roles)

    def add(self, account: Account, password_hash: str, now_ms: int) -> Account:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO users(username, full_name, organization, badge_number, sworn, "
                "roles, active, password_hash, must_change_password, password_changed_ms, "
                "created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    account.username, account.full_name, account.organization,
                    account.badge_number, int(account.sworn), encode_roles(account.roles),
                    int(account.active), password_hash, int(account.must_change_password),
                    now_ms, now_ms, now_ms,
                ),
            )
            user_id = int(cur.lastrowid)
        found = self.get_by_id(user_id)
        assert found is not None
        return found

    def update_profile(self, account: Account, now_ms: int) -> None:
        """Store the editable fields (names, badge, sworn, roles, active) of ``account``."""
        with self.store.transaction() as c:
            c.execute(
                "UPDATE users SET full_name = ?, organization = ?, badge_number = ?, sworn = ?, "
                "roles = ?, active = ?, updated_ms = ? WHERE id = ?",
                (
                    account.full_name, account.organization, account.badge_number,
                    int(account.sworn), encode_roles(account.roles), int(account.active),
                    now_ms, account.id,
                ),
            )

    def set_password(
        self, user_id: int, password_hash: str, *, must_change: bool, now_ms: int
    ) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE users SET password_hash = ?, must_change_password = ?, "
                "password_changed_ms = ?, updated_ms = ? WHERE id = ?",
                (password_hash, int(must_change), now_ms, now_ms, user_id),
            )

    def set_lock_state(
        self, user_id: int, failed_attempts: int, locked_until_ms: int | None
    ) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE users SET failed_attempts = ?, locked_until_ms = ? WHERE id = ?",
                (failed_attempts, locked_until_ms, user_id),
            )

    def record_sign_in(self, user_id: int, now_ms: int) -> None:
        with self.store.transaction() as c:
            c.execute(
                "UPDATE users SET failed_attempts = 0, locked_until_ms = NULL, "
                "last_sign_in_ms = ? WHERE id = ?",
                (now_ms, user_id),
            )
