"""Search results: one row per read, times in the site's zone. Holds reads only while shown;
``clear`` drops them when the session locks or the purpose ends."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.models import Read
from alpr_desktop.gui.models.table import Column, RowsModel


def confidence_text(value: float) -> str:
    """Readers report confidence as a fraction (demo, OpenALPR) or a percentage (mapped CSV
    imports accept 0-100); show both as a percentage."""
    return f"{value * 100 if value <= 1 else value:.0f}%"


class ReadsModel(RowsModel[Read]):
    columns = (
        Column("Recorded", lambda r: format_local(r.recorded_at)),
        Column("Plate", lambda r: r.plate),
        Column("State", lambda r: r.state),
        Column("Camera", lambda r: r.camera_name, tooltip=lambda r: r.location),
        Column("Direction", lambda r: r.direction),
        Column("Vehicle", lambda r: " ".join(x for x in (r.color, r.make, r.model) if x)),
        Column("Confidence", lambda r: confidence_text(r.confidence), align_right=True),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
