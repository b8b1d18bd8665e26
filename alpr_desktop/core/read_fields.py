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
    "confidence": "float",  # 0-1 (migration 0004); shown as a percent; 0: unknown
    "latitude": "float | None",  # the read's own position (migration 0014); None: unknown
    "longitude": "float | None",
    "candidates": "tuple[tuple[str, float], ...]",  # the reader's alternates, 0-1 each
}


class ReadFields(Protocol):
    """What a read insert takes from each read: NewRead, or any object with its fields (the
    import passes its validated records, sparing a million NewRead constructions). Read-only
    members, so frozen and mutable records both qualify."""

    @property
    def plate(self) -> str: ...

    @property
    def recorded_at(self) -> int: ...

    @property
    def camera_id(self) -> int: ...

    @property
    def state(self) -> str: ...

    @property
    def direction(self) -> str: ...

    @property
    def make(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def color(self) -> str: ...

    @property
    def body_type(self) -> str: ...

    @property
    def speed(self) -> float | None: ...

    @property
    def confidence(self) -> float: ...

    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...

    @property
    def candidates(self) -> tuple[tuple[str, float], ...]: ...

    @property
    def source(self) -> str: ...

    @property
    def vendor_read_id(self) -> str | None: ...
