"""The read column list and row mapping, once: built from ``core.models.Read`` so a field
added there is selected and mapped everywhere reads are fetched (get, by plate, search)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields

from alpr_desktop.core.models import Read

# Where each Read field comes from: r = reads, p = plates, c = cameras.
_SOURCES = {"plate_norm": "p.plate_norm", "camera_name": "c.name", "location": "c.location"}
_NAMES = [f.name for f in fields(Read)]
READ_COLUMNS = ", ".join(_SOURCES.get(n, f"r.{n}") for n in _NAMES)
# The same columns with the plate id where the normalized plate goes, for callers that know
# the plates already (saves a random plates-table lookup per row).
READ_COLUMNS_PLATE_ID = READ_COLUMNS.replace("p.plate_norm", "r.plate_id")
READ_WIDTH = len(_NAMES)  # columns of READ_COLUMNS: a query's extra columns start here
_PLATE = _NAMES.index("plate_norm")
_CANDIDATES = _NAMES.index("candidates")
assert len(_NAMES) - 1 == _CANDIDATES, "candidates is the last field of Read"
FROM_READS = "JOIN plates p ON p.id = r.plate_id JOIN cameras c ON c.id = r.camera_id"


def row_to_read(row: Sequence[object], plate_names: Mapping[int, str] | None = None) -> Read:
    """A Read from a row selected with READ_COLUMNS (or READ_COLUMNS_PLATE_ID and the plate
    names by id)."""
    raw = row[_CANDIDATES]
    cands = () if not raw or raw == "[]" else tuple(
        (str(p), float(c)) for p, c in json.loads(str(raw))
    )
    head = list(row[:_CANDIDATES])
    if plate_names is not None:
        head[_PLATE] = plate_names[int(head[_PLATE])]  # type: ignore[call-overload]
    return Read(*head, candidates=cands)  # type: ignore[arg-type, misc]
