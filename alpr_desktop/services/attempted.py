"""What a refused call asked for, as it goes into the "gate.refused" entry (issue 10 §4: a
refused search logs the query that was attempted).

Each function takes a gated method's arguments (those after the context) and returns the
query elements the successful call would have logged: the pattern as parsed (or, when it does
not parse, as typed, cut short), the mode, the filters. Nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alpr_desktop.core.patterns import Mode, PatternError, parse
from alpr_desktop.core.search import MAX_BATCH_PLATES, Filters, SearchQuery

MAX_TYPED = 64  # characters of unparseable text kept


def _typed(text: object) -> str:
    return "".join(ch for ch in str(text) if ch.isprintable())[:MAX_TYPED]


def _filters(filters: object) -> dict[str, Any]:
    return filters.as_log_dict() if isinstance(filters, Filters) else {}


def search_attempt(query: SearchQuery, cursor: str | None = None, *_: object,
                   **__: object) -> dict[str, Any]:
    """SearchService.search(query, cursor)."""
    d: dict[str, Any] = {"requested_mode": str(query.mode),
                         "filters": _filters(query.filters), "page_size": query.page_size}
    try:
        pattern = query.pattern()
    except (PatternError, ValueError):
        d["pattern"] = _typed(query.text)
        d["pattern_unparsed"] = True
    else:
        d["pattern"], d["mode"] = pattern.text, str(pattern.mode)
    if cursor is not None:
        d["next_page"] = True
    return d


def count_attempt(query: SearchQuery, cursor: str | None = None, *_: object,
                  **__: object) -> dict[str, Any]:
    """SearchService.count(query, cursor): the search's query, marked as its count (a
    refused count is not a refused search: storage/transparency_queries.py)."""
    return {**search_attempt(query), "count": True}


def batch_attempt(plates: Sequence[str], filters: Filters | None = None, *_: object,
                  **__: object) -> dict[str, Any]:
    """SearchService.batch_search(plates, filters, per_plate)."""
    norms: list[str] = []
    for text in list(plates)[:MAX_BATCH_PLATES]:
        try:
            norms.append(parse(text, Mode.EXACT).text)
        except (PatternError, ValueError):
            norms.append(_typed(text))
    return {"mode": "batch_exact", "plates": norms, "filters": _filters(filters)}


def crops_attempt(read_ids: Sequence[int], *_: object, **__: object) -> dict[str, Any]:
    """SearchService.plate_crops(read_ids)."""
    return {"read_ids": [int(i) for i in list(read_ids)[:MAX_BATCH_PLATES]], "kind": "crop"}


def image_attempt(read_id: int, *_: object, **__: object) -> dict[str, Any]:
    """ImageService.open_read_images(read_id)."""
    return {"read_id": int(read_id)}


def disclosure_attempt(request: Any, *_: object, **__: object) -> dict[str, Any]:
    """ImageService.record_disclosure(request)."""
    return {"read_id": int(request.read_id), "kind": str(request.kind),
            "image": str(request.image_kind),
            "recipient_agency": _typed(request.recipient_agency)}


def export_attempt(request: Any, *_: object, **__: object) -> dict[str, Any]:
    """ImageService.record_export(request)."""
    return {"read_id": int(request.read_id), "kind": str(request.kind),
            "image": str(request.image_kind)}
