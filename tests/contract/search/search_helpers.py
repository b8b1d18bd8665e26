"""A small store with known plates for the search tests: exact reads, OCR look-alikes, one-edit
neighbours, an alternate candidate, hostile-looking plates; plus the access "world" (accounts,
clock, purposes) from the access tests. The fixtures are in conftest.py."""

from __future__ import annotations

from dataclasses import dataclass

from access_helpers import World, log_entries

from alpr_desktop.core.accounts import AccessContext
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.search import Filters, Page, SearchQuery
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.unit_of_work import UnitOfWork

__all__ = ["Seeded", "World", "log_entries"]

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z (the FixedClock's now)
HOUR = 3600
DAY = 86_400


@dataclass
class Seeded:
    world: World
    ctx: AccessContext
    svc: SearchService
    cams: dict[str, int]
    ids: dict[str, list[int]]  # plate as inserted -> read ids

    def search(self, text: str, mode: str = "auto", filters: Filters | None = None,
               page_size: int = 200, cursor: str | None = None) -> Page:
        q = SearchQuery(text, mode, filters or Filters(), page_size)
        return self.svc.search(self.ctx, q, cursor)

    def all_rows_after(self, text: str, filters: Filters, page_size: int,
                       cursor: str | None) -> list:
        rows: list = []
        while cursor is not None:
            page = self.search(text, "auto", filters, page_size, cursor)
            rows.extend(page.rows)
            cursor = page.next_cursor
        return rows

    def all_rows(self, text: str, mode: str = "auto", filters: Filters | None = None,
                 page_size: int = 200) -> list:
        rows: list = []
        cursor = None
        while True:
            page = self.search(text, mode, filters, page_size, cursor)
            rows.extend(page.rows)
            cursor = page.next_cursor
            if cursor is None:
                return rows


# (plate, hours before T0, camera, extras)
READS: list[tuple[str, float, str, dict]] = [
    ("7ABC123", 2, "north", {"state": "CA", "make": "Honda", "model": "Civic",
                              "color": "Silver", "body_type": "Sedan", "speed": 35.0,
                              "confidence": 0.95}),
    ("7ABC123", 30, "south", {"state": "CA", "make": "Honda", "model": "Civic",
                               "color": "Silver", "body_type": "Sedan", "speed": 52.0,
                               "confidence": 0.80}),
    ("7ABC123", 24 * 20, "north", {"state": "CA", "make": "Honda", "color": "Silver",
                                    "speed": 41.0, "confidence": 0.60}),
    ("7A8C123", 5, "north", {"state": "CA", "make": "Honda", "color": "Silver",
                              "confidence": 0.7}),  # look-alike (B/8)
    ("7ABC12", 6, "south", {"state": "CA", "make": "Toyota", "color": "Red"}),  # one edit
    ("7ABX123", 7, "south", {"state": "NV", "make": "Ford", "color": "Blue"}),  # one edit
    ("7XYZ999", 1, "north", {"state": "CA", "make": "Honda", "color": "Silver",
                              "candidates": (("7ABC123", 0.4),)}),  # alternate candidate
    ("8ABC123", 3, "south", {"state": "CA"}),
    ("BABC123", 4, "north", {"state": "CA"}),
    ("4QRS555", 8, "north", {"state": "CA", "make": "Tesla", "color": "White"}),
    ("NEAR", 9, "south", {"state": "CA"}),
    ("OR1AND", 10, "south", {"state": "CA"}),
]


def seed(store: UnitOfWork) -> tuple[dict[str, int], dict[str, list[int]]]:
    repo = store.cameras
    cams = {
        "north": repo.add(Camera(None, "Avalon & 223rd NB", "Avalon Blvd at 223rd St")),
        "south": repo.add(Camera(None, "Main & Carson SB", "Main St at Carson St")),
    }
    new = [
        NewRead(p, int(T0 - h * HOUR), cams[cam], **extra)  # type: ignore[arg-type]
        for p, h, cam, extra in READS
    ]
    got = store.reads.insert_many(new)
    ids: dict[str, list[int]] = {}
    for (p, *_), rid in zip(READS, got, strict=True):
        ids.setdefault(p, []).append(rid)
    return cams, ids


PERMISSION_REFERENCE = "CARSON-ACM-2026-014"


def permit_contractor(world: World, data_from: int, data_to: int) -> None:
    """The custodian's written permission for the contractor "vendor" (issue 16): the data
    window its searches are narrowed to."""
    world.permissions.record(
        world.ctx("keeper"), reference=PERMISSION_REFERENCE, contractor_username="vendor",
        purpose="Help LASD collect evidence for a vehicle theft at Carson Mall.",
        data_from=data_from, data_to=data_to, expires_ms=world.clock.now_ms() + 86_400_000,
    )
