"""The extract's reads as a table: when, plate, camera and place, vehicle."""

from __future__ import annotations

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.models import Read
from alpr_desktop.gui.models.table import Column, RowsModel


def _vehicle(r: Read) -> str:
    return " ".join(x for x in (r.color, r.make, r.model) if x) or "—"


class ReviewReadsModel(RowsModel[Read]):
    columns = (
        Column("Read", lambda r: str(r.id), align_right=True),
        Column("Recorded", lambda r: format_local(r.recorded_at * 1000)),
        Column("Plate", lambda r: f"{r.plate} {r.state}".strip()),
        Column("Camera", lambda r: r.camera_name, tooltip=lambda r: r.location or r.camera_name),
        Column("Vehicle", _vehicle),
    )
