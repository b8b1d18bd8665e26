"""Read look-ups for the gated read services that storage/reads.py does not offer: reads of a
plate limited to a recorded-at window (a contractor's written permission)."""

from __future__ import annotations

import json

from alpr_desktop.core.accounts import DataWindow
from alpr_desktop.core.models import Read
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.reads import ReadRepo

_COLUMNS = (
    "r.id, r.plate, p.plate_norm, r.state, r.recorded_at, r.camera_id, c.name, c.location, "
    "r.direction, r.make, r.model, r.color, r.body_type, r.speed, r.confidence, r.candidates"
)


def _to_read(row: tuple) -> Read:
    cands = tuple((str(p), float(c)) for p, c in json.loads(row[15] or "[]"))
    return Read(*row[:15], candidates=cands)


class ReadQueries:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._reads = ReadRepo(store)

    def by_plate(
        self, plate_norm: str, limit: int = 1000, window: DataWindow | None = None
    ) -> list[Read]:
        """Reads of one normalized plate, newest first, inside ``window`` when given."""
        if window is None:
            return self._reads.by_plate(plate_norm, limit)
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM plates p JOIN reads r ON r.plate_id = p.id "
            "JOIN cameras c ON c.id = r.camera_id WHERE p.plate_norm = ? "
            "AND r.recorded_at BETWEEN ? AND ? "
            "ORDER BY r.recorded_at DESC, r.id DESC LIMIT ?",
            (plate_norm, window.start, window.end, limit),
        )
        return [_to_read(r) for r in rows]

    def get(self, read_id: int) -> Read | None:
        return self._reads.get(read_id)
