"""Table models of the investigator's views: a list of reads (profile, description search)
and a list of sightings (the map's table). Both are RowsModel column sets."""

from __future__ import annotations

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.past_searches import PastSearch
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.search import SearchRow
from alpr_desktop.core.sightings import Sighting
from alpr_desktop.gui.models.table import Column, RowsModel


def _match(row: SearchRow) -> str:
    if row.kind is MatchKind.CANDIDATE:
        return f"candidate (read as {row.read.plate_norm})"
    return row.kind.label


def _vehicle(row: SearchRow) -> str:
    r = row.read
    return " ".join(v for v in (r.color, r.make, r.model, r.body_type) if v)


class ReadRowsModel(RowsModel[SearchRow]):
    columns = (
        Column("Time", lambda r: format_local(r.read.recorded_at * 1000)),
        Column("Plate", lambda r: r.read.plate_norm),
        Column("Match", _match),
        Column("Camera", lambda r: r.read.camera_name, lambda r: r.read.location),
        Column("Vehicle", _vehicle),
        Column("Direction", lambda r: r.read.direction),
        Column("State", lambda r: r.read.state),
        Column("Read", lambda r: str(r.read.id), align_right=True),
    )

    def index_of_read(self, read_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.read.id == read_id), -1)


class SightingsModel(RowsModel[Sighting]):
    columns = (
        Column("Time", lambda s: format_local(s.recorded_at * 1000)),
        Column("Plate", lambda s: s.plate),
        Column("Match", lambda s: s.kind),
        Column("Camera", lambda s: s.camera_name),
        Column("Position", lambda s: "read's own" if s.own_position else "camera's",
               lambda s: f"{s.latitude:.5f}, {s.longitude:.5f}"),
    )

    def index_of_read(self, read_id: int) -> int:
        return next((i for i, s in enumerate(self._rows) if s.read_id == read_id), -1)


class PastSearchesModel(RowsModel[PastSearch]):
    columns = (
        Column("When", lambda p: p.when),
        Column("Kind", lambda p: p.kind),
        Column("What was asked", lambda p: p.words, lambda p: p.words),
        Column("Reads", lambda p: "" if p.result_count is None else f"{p.result_count:,}",
               align_right=True),
    )
