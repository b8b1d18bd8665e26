"""The first gated read services: reads of one plate, one read, and a read's images.

Each method is gated (services.gate): it needs a signed-in analyst (or a contractor under an
active written permission, limited to its data window) with an active purpose, and writes the
access-log entry in the same transaction before anything is returned. The full search (patterns,
filters) comes with the search issue and must be gated the same way.
"""

from __future__ import annotations

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.models import ImageBlob, Read
from alpr_desktop.core.plates import normalize_plate
from alpr_desktop.core.roles import Action
from alpr_desktop.services.gate import Grant, gated, refuse_outside_window
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_queries import ReadQueries
from alpr_desktop.storage.reads import ImageRepo

MAX_LIMIT = 10_000


class ReadService:
    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @gated(Action.SEARCH_READS)
    def reads_for_plate(self, grant: Grant, plate: str, limit: int = 1000) -> list[Read]:
        """Reads of exactly this plate (normalized), newest first. Raises PlateError for text
        that cannot be a plate (nothing is logged: nothing was searched)."""
        norm = normalize_plate(plate)
        limit = max(1, min(int(limit), MAX_LIMIT))
        reads = ReadQueries(self.store).by_plate(norm, limit, grant.window)
        query: dict[str, object] = {"pattern": norm, "mode": "exact", "limit": limit}
        if grant.window is not None:
            query["time_window"] = grant.window.as_dict()
        grant.log("search", query=query, result_count=len(reads))
        return reads

    @gated(Action.SEARCH_READS)
    def get_read(self, grant: Grant, read_id: int) -> Read | None:
        """One read by id, or None when there is no such read."""
        read = ReadQueries(self.store).get(int(read_id))
        if read is not None:
            refuse_outside_window(grant, read.recorded_at, "read")
        grant.log(
            "read.view",
            query={"read_id": int(read_id), "plate": read.plate_norm if read else None},
            result_count=0 if read is None else 1,
        )
        return read

    @gated(Action.VIEW_IMAGES)
    def images_for_read(self, grant: Grant, read_id: int) -> list[ImageBlob]:
        """The plate crop and overview of one read; logged as an image view."""
        read = ReadQueries(self.store).get(int(read_id))
        if read is None:
            grant.log("image.view", query={"read_id": int(read_id)}, result_count=0)
            return []
        refuse_outside_window(grant, read.recorded_at, "read")
        images = ImageRepo(self.store).for_read(read.id)
        grant.log(
            "image.view",
            query={"read_id": read.id, "plate": read.plate_norm},
            result_count=len(images),
            detail={"kinds": [im.kind for im in images],
                    "sha256": [im.sha256 for im in images]},
        )
        return images
