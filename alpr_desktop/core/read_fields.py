"""One declaration of what a read holds besides its identity: the description every read
carries from the camera (or the import) to the store and back.

``NewRead`` (core/models), ``Read`` (core/models) and the import's ``ValidRecord``
(ingest/records) each carry these fields; tests/unit/core/test_read_fields.py holds them to
this declaration, and storage builds its column lists and row mapping from it and from
``Read`` (storage/read_rows.py)."""

from __future__ import annotations

from typing import Protocol

# name -> type (as annotated), in stored order
DESCRIPTION: dict[str, str] = {
    "state": "str",
    "direction": "str",
    "make": "str",
    "model": "str",
    "color": "str",
    "body_type": "str",
    "speed": "float | None",
    "confidence": "float",  # 0-1 (migration 0004); shown as a percent
    "candidates": "tuple[tuple[str, float], ...]",  # the reader's alternates, 0-1 each
}


class ReadFields(Protocol):
    """What a read insert takes from each read: NewRead, or any object with its fields (the
    import passes its validated records, sparing a million NewRead constructions)."""

    plate: str
    recorded_at: int
    camera_id: int
    state: str
    direction: str
    make: str
    model: str
    color: str
    body_type: str
    speed: float | None
    confidence: float
    candidates: tuple[tuple[str, float], ...]
    source: str
    vendor_read_id: str | None
