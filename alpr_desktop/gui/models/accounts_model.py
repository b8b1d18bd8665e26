"""The admin's account list. Shows status (active, disabled, locked) but never a hash: the
Account dataclass does not carry one."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import Clock, SystemClock, format_local
from alpr_desktop.gui.models.table import Column, RowsModel


def account_status(account: Account, now_ms: int) -> str:
    if not account.active:
        return "Disabled"
    if account.is_locked(now_ms):
        return "Locked"
    if account.must_change_password:
        return "Active (must change password)"
    return "Active"


def _when(ms: int | None) -> str:
    return format_local(ms / 1000) if ms else "never"


class AccountsModel(RowsModel[Account]):
    def __init__(self, clock: Clock | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.clock: Clock = clock or SystemClock()
        now = self.clock.now_ms
        self.columns = (
            Column("Username", lambda a: a.username),
            Column("Full name", lambda a: a.full_name),
            Column("Organization", lambda a: a.organization),
            Column("Roles", lambda a: ", ".join(sorted(r.label for r in a.roles))),
            Column("Badge", lambda a: a.badge_number + (" (sworn)" if a.sworn else "")),
            Column("Status", lambda a: account_status(a, now())),
            Column("Failed sign-ins", lambda a: str(a.failed_attempts), align_right=True),
            Column("Last sign-in", lambda a: _when(a.last_sign_in_ms)),
        )

    def row_of(self, username: str) -> int:
        for i, a in enumerate(self._rows):
            if a.username == username:
                return i
        return -1
