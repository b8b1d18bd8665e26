"""Table models of the analysis results: a plate's sightings per place (stakeout) and the
ranked common plates. RowsModel column sets, like every table of the investigator's views."""

from __future__ import annotations

from alpr_desktop.core.analysis_places import CommonPlate, PlateAtPlace
from alpr_desktop.core.clock import format_local
from alpr_desktop.gui.models.table import Column, RowsModel


def _t(seconds: int) -> str:
    return format_local(seconds * 1000)


class PlaceSightingsModel(RowsModel[PlateAtPlace]):
    columns = (
        Column("Place", lambda s: s.label),
        Column("Plate", lambda s: s.plate),
        Column("First seen", lambda s: _t(s.first_at)),
        Column("Last seen", lambda s: _t(s.last_at)),
        Column("Reads", lambda s: f"{s.reads:,}", align_right=True),
    )


class CommonPlatesModel(RowsModel[CommonPlate]):
    def __init__(self, set_labels: list[str] | None = None, parent: object = None) -> None:
        super().__init__(parent)
        self.set_labels = list(set_labels or [])

    def _sets(self, c: CommonPlate) -> str:
        names = [self.set_labels[i] if i < len(self.set_labels) else f"set {i + 1}"
                 for i in c.sets]
        return f"{len(c.sets)} of {len(self.set_labels) or '?'}: " + ", ".join(names)

    @property
    def columns(self) -> tuple[Column[CommonPlate], ...]:  # type: ignore[override]
        return (
            Column("Rank", lambda c: str(c.rank), align_right=True),
            Column("Plate", lambda c: c.plate),
            Column("Seen in", self._sets, self._sets),
            Column("Reads", lambda c: f"{c.reads:,}", align_right=True),
            Column("First seen", lambda c: _t(min(s.first_at for s in c.sightings))),
            Column("Last seen", lambda c: _t(max(s.last_at for s in c.sightings))),
        )
