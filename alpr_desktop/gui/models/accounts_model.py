"""The admin's account list. Shows status (active, disabled, locked, awaiting a custodian's
approval) and flags accounts whose roles break separation of duties (kept from a store made
before the rule), but never a hash: the Account dataclass does not carry one."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import Clock, SystemClock, format_local
from alpr_desktop.core.roles import duty_conflicts
from alpr_desktop.gui.models.table import Column, RowsModel


def account_status(account: Account, now_ms: int) -> str:
    if account.pending == "create":
        return "Awaiting approval"
    if account.pending == "enable":
        return "Disabled (re-enabling awaits approval)"
    if not account.active:
        return "Disabled"
    if account.is_locked(now_ms):
        return "Locked"
    if account.must_change_password:
        return "Active (must change password)"
    return "Active"


def account_note(account: Account) -> str:
    """What needs the admin's attention, briefly: a role combination separation of duties
    forbids, or a request waiting for a custodian (the tooltip says more)."""
    notes = []
    if duty_conflicts(account.roles):
        notes.append("Roles break separation of duties")
    if account.pending == "roles":
        notes.append("Role change awaits approval")
    elif account.pending:
        notes.append("Awaits approval")
    return "; ".join(notes)


def account_note_tip(account: Account) -> str:
    tips = list(duty_conflicts(account.roles))
    if tips:
        tips.append("Remove one of the roles; until then no role can be added and a disabled "
                    "account cannot be re-enabled.")
    if account.pending:
        tips.append("A custodian approves or rejects this on the Account Approvals screen.")
    return " ".join(tips)


def _when(ms: int | None) -> str:
    return format_local(ms) if ms else "never"


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
            Column("Note", account_note, tooltip=account_note_tip),
        )

    def row_of(self, username: str) -> int:
        for i, a in enumerate(self._rows):
            if a.username == username:
                return i
        return -1
