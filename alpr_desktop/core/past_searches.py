"""The analyst's own past searches ("My searches"), read back from their log entries so one
can run again without retyping it. A re-run is a new, separately logged query."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.clock import format_local
from alpr_desktop.core.description_query import DescriptionQuery
from alpr_desktop.core.plate_profile import ProfileRequest
from alpr_desktop.core.search import Filters, SearchInputError, SearchQuery, TimePreset


@dataclass(frozen=True)
class BatchRerun:
    """A batch search to run again: its plates and the filters it ran with (not whatever
    filters the search screen shows now, which may differ)."""

    plates: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)


Rerun = SearchQuery | ProfileRequest | DescriptionQuery | BatchRerun

_KIND_WORDS = {"search": "Plate search", "search.batch": "Batch search",
               "search.profile": "Plate profile", "search.description": "Description search"}


@dataclass(frozen=True)
class PastSearch:
    seq: int
    ts_ms: int
    event: str
    words: str  # what was asked, in words
    result_count: int | None
    rerun: Rerun | None  # None: the entry holds too little to run it again

    @property
    def kind(self) -> str:
        return _KIND_WORDS.get(self.event, self.event)

    @property
    def when(self) -> str:
        return format_local(self.ts_ms)


def filters_from_log(d: object) -> Filters:
    """Filters back from ``Filters.as_log_dict``; anything unreadable is left out."""
    if not isinstance(d, dict):
        return Filters()
    w = d.get("time_window") if isinstance(d.get("time_window"), dict) else {}
    assert isinstance(w, dict)
    preset = None
    if isinstance(d.get("preset"), str):
        try:
            preset = TimePreset(d["preset"])
        except ValueError:
            preset = None

    def texts(name: str) -> tuple[str, ...]:
        v = d.get(name)
        return tuple(str(x) for x in v) if isinstance(v, list) else ()

    def num(v: object) -> int | None:
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    cams = d.get("camera_ids")
    speed = d.get("speed") if isinstance(d.get("speed"), dict) else {}
    assert isinstance(speed, dict)
    conf = d.get("min_confidence")
    return Filters(
        since=None if preset else num(w.get("from")),
        until=None if preset else num(w.get("to")), preset=preset,
        camera_ids=tuple(c for c in cams if isinstance(c, int)) if isinstance(cams, list)
        else (),
        states=texts("states"), makes=texts("makes"), models=texts("models"),
        colors=texts("colors"), body_types=texts("body_types"),
        speed_min=speed.get("min") if isinstance(speed.get("min"), int | float) else None,
        speed_max=speed.get("max") if isinstance(speed.get("max"), int | float) else None,
        min_confidence=float(conf) if isinstance(conf, int | float) else None,
    )


def past_search(entry: LogEntry) -> PastSearch:
    """One log entry as a past search, with what it takes to run it again."""
    try:
        q: dict[str, Any] = json.loads(entry.query_json)
    except ValueError:
        q = {}
    rerun: Rerun | None = None
    words = ""
    try:
        if entry.event == "search":
            rerun = SearchQuery(str(q.get("pattern", "")), str(q.get("requested_mode") or
                                                                q.get("mode") or "auto"),
                                filters_from_log(q.get("filters")))
            words = f"{q.get('pattern', '')} ({q.get('mode', '')})"
            f = q.get("filters")
            if isinstance(f, dict) and f:
                words += " with " + ", ".join(sorted(k.replace("_", " ") for k in f))
        elif entry.event == "search.batch":
            plates = q.get("plates") if isinstance(q.get("plates"), list) else []
            assert isinstance(plates, list)
            rerun = BatchRerun(tuple(str(p) for p in plates), filters_from_log(q.get("filters")))
            words = f"{len(plates)} plates: " + ", ".join(str(p) for p in plates[:5]) + \
                ("…" if len(plates) > 5 else "")
        elif entry.event == "search.profile":
            rerun = ProfileRequest(str(q.get("pattern", "")), bool(q.get("lookalikes")),
                                   float(q.get("gap_hours") or 72))
            words = f"All sightings of {q.get('pattern', '')}" + \
                (" with look-alikes and candidates" if q.get("lookalikes") else "")
        elif entry.event == "search.description":
            dq = DescriptionQuery.from_log(q)
            rerun = dq
            words = dq.words()
    except (SearchInputError, ValueError, TypeError):
        rerun = None
    return PastSearch(entry.seq, entry.ts_ms, entry.event, words or entry.event,
                      entry.result_count, rerun)


@dataclass(frozen=True)
class MySearches:
    """The analyst's own searches under one purpose, newest first."""

    purpose_id: int
    searches: tuple[PastSearch, ...]
