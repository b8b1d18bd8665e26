"""The custodian's lists on the Retention screen: holds and purge runs (no plate in either)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.retention import HoldRecord, PurgeRecord
from alpr_desktop.gui.models.table import Column, RowsModel


def _when(ms: int | None) -> str:
    return format_local(ms) if ms else ""


def _span(r: PurgeRecord) -> str:
    if r.oldest_recorded is None:
        return ""
    a, b = format_local(r.oldest_recorded * 1000), format_local((r.newest_recorded or 0) * 1000)
    return a if a == b else f"{a} – {b}"


class HoldsModel(RowsModel[HoldRecord]):
    def __init__(self, now_ms: Callable[[], int], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Case", lambda h: h.case_number),
            Column("State", lambda h: h.state_text(now_ms())),
            Column("Reads", lambda h: f"{h.reads_present:,} of {h.read_count:,} in the store",
                   align_right=True),
            Column("Review by", lambda h: _when(h.review_ms)),
            Column("Asked by", lambda h: f"{h.requested_by}, {_when(h.requested_ms)}"),
            Column("Reason", lambda h: h.reason, tooltip=lambda h: h.reason),
        )


class PurgeHistoryModel(RowsModel[PurgeRecord]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Ran", lambda r: _when(r.started_ms)),
            Column("Reads", lambda r: f"{r.reads_deleted:,}", align_right=True),
            Column("Images", lambda r: f"{r.images_deleted:,}", align_right=True),
            Column("Recorded", _span),
            Column("Took", lambda r: "stopped before the end" if r.interrupted
                   else f"{(r.duration_ms or 0) / 1000:.1f} s"),
            Column("Run by", lambda r: r.ran_by),
        )
