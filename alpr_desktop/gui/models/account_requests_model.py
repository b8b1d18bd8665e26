"""The custodian's list of account requests waiting for approval (separation of duties)."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.approvals import AccountRequest
from alpr_desktop.core.clock import format_local
from alpr_desktop.gui.models.table import Column, RowsModel


def _who(r: AccountRequest) -> str:
    badge = f", badge {r.badge_number}" if r.badge_number else ""
    sworn = ", sworn" if r.sworn else ""
    return f"{r.full_name} ({r.organization}{badge}{sworn})"


class AccountRequestsModel(RowsModel[AccountRequest]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Requested", lambda r: format_local(r.requested_ms)),
            Column("Request", lambda r: r.kind.label),
            Column("Account", lambda r: r.username),
            Column("Roles", lambda r: r.change_text()),
            Column("Asked by", lambda r: r.requested_by),
            Column("Person", _who),
        )

    def row_of(self, request_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == request_id:
                return i
        return -1
