"""The import wizard's preview: the first rows of the contractor's file with the mapping
applied. Rows come from the file being imported (ingest.preview), never from the store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.read_display import confidence_text
from alpr_desktop.gui import palette
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.services.import_files import PreviewRow

Index = QModelIndex | QPersistentModelIndex
_REJECT_BG = QColor(palette.REJECT_ROW_BACKGROUND)
_REJECT_FG = QColor(palette.REJECT_ROW_TEXT)


def result_text(row: PreviewRow) -> str:
    if row.accepted:
        return "OK"
    where = f" ({row.column})" if row.column else ""
    return f"Rejected: {row.explanation or row.reason}{where}"


def time_text(row: PreviewRow) -> str:
    """The parsed time in the site's zone, so a wrong zone or format shows at once."""
    if row.recorded_at is None:
        return row.time_text
    return format_local(row.recorded_at * 1000)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _vehicle(row: PreviewRow) -> str:
    d = row.details
    return " ".join(v for v in (d.get("color"), d.get("make"), d.get("model"),
                                d.get("body_type")) if v)


class ImportPreviewModel(RowsModel[PreviewRow]):
    """Read-only; a refused row is tinted and says why (reason code in the tooltip)."""

    columns = (
        Column("Line", lambda r: str(r.line), align_right=True),
        Column("Result", result_text,
               tooltip=lambda r: "" if r.accepted else f"{r.reason}: {r.explanation}"),
        Column("Plate", lambda r: r.plate),
        Column("Time (site)", time_text, tooltip=lambda r: f"In the file: {r.time_text}"),
        Column("Camera", lambda r: r.camera),
        Column("State", lambda r: r.details.get("state", "")),
        Column("Direction", lambda r: r.details.get("direction", "")),
        Column("Vehicle", _vehicle),
        Column("Speed", lambda r: _number(r.speed), align_right=True),
        Column("Confidence", lambda r: confidence_text(r.confidence, 1),
               align_right=True),
        Column("Images", lambda r: str(r.images) if r.images else "", align_right=True),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            row = self.row_at(index.row()) if index.isValid() else None
            if row is None or row.accepted:
                return None
            color = _REJECT_BG if role == Qt.ItemDataRole.BackgroundRole else _REJECT_FG
            return QBrush(color)
        return super().data(index, role)

    @property
    def rejected(self) -> int:
        return sum(1 for r in self._rows if not r.accepted)
