"""The custodian's list of contractor written permissions (policy §2)."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.accounts import WrittenPermission
from alpr_desktop.core.clock import Clock, SystemClock, format_local
from alpr_desktop.gui.models.table import Column, RowsModel


def permission_status(p: WrittenPermission, now_ms: int) -> str:
    if p.revoked_ms is not None:
        return "Revoked"
    if now_ms >= p.expires_ms:
        return "Expired"
    return "Active" if p.is_active(now_ms) else "Not yet active"


def _day(ms: int) -> str:
    return format_local(ms)[:10]


class PermissionsModel(RowsModel[WrittenPermission]):
    def __init__(self, clock: Clock | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.clock: Clock = clock or SystemClock()
        now = self.clock.now_ms
        self.columns = (
            Column("Reference", lambda p: p.reference),
            Column("Contractor", lambda p: p.contractor_username),
            Column("Covers", lambda p: p.purpose.splitlines()[0][:80] if p.purpose else "",
                   tooltip=lambda p: p.purpose),
            Column("Case", lambda p: p.case_number or "any"),
            Column("Data from", lambda p: _day(p.window.start * 1000)),
            Column("Data to", lambda p: _day(p.window.end * 1000)),
            Column("Expires", lambda p: format_local(p.expires_ms)),
            Column("Status", lambda p: permission_status(p, now()),
                   tooltip=lambda p: p.revoke_reason),
            Column("Granted by", lambda p: p.granted_by),
        )
