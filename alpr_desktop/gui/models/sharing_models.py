"""Table models of the sharing screens: the agency registry and the requests from agencies."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.agencies import Agency, lawful_kind_refusal
from alpr_desktop.core.agencies_requests import SharingRequest
from alpr_desktop.core.clock import format_local
from alpr_desktop.gui.models.table import Column, RowsModel


def _when(ms: int | None) -> str:
    return format_local(ms)[:16] if ms else "—"


def agency_status(a: Agency) -> str:
    """Approved, withdrawn, not approved, or why the law refuses it whatever the registry says."""
    if lawful_kind_refusal(a.name, a.kind, a.jurisdiction) is not None:
        return "Refused by law"
    return a.status.capitalize()


class AgenciesModel(RowsModel[Agency]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Agency", lambda a: a.name),
            Column("Kind", lambda a: a.kind.label),
            Column("Jurisdiction", lambda a: a.jurisdiction.label,
                   tooltip=lambda a: a.jurisdiction_note),
            Column("Status", agency_status, tooltip=lambda a: (
                m.message if (m := lawful_kind_refusal(a.name, a.kind, a.jurisdiction))
                else a.withdraw_reason)),
            Column("Approved by", lambda a: a.approved_by or "—"),
            Column("Approved", lambda a: _when(a.approved_ms)),
            Column("Contact", lambda a: a.contact),
        )


class RequestsModel(RowsModel[SharingRequest]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("#", lambda r: str(r.id), align_right=True),
            Column("Received", lambda r: _when(r.received_ms)),
            Column("Agency", lambda r: r.agency_name),
            Column("Requester", lambda r: r.requester, tooltip=lambda r: r.requester_contact),
            Column("Their case", lambda r: r.case_number),
            Column("Status", lambda r: r.status.label,
                   tooltip=lambda r: r.decision_note or r.response_note),
            Column("Reads", lambda r: str(len(r.read_ids)) if r.read_ids else "—",
                   align_right=True),
            Column("Prepared by", lambda r: r.prepared_by or "—"),
            Column("Decided by", lambda r: r.decided_by or "—"),
            Column("Asked for", lambda r: r.asked_for[:80], tooltip=lambda r: r.asked_for),
        )
