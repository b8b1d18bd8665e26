"""The audit report's oversight flag for analysis use (issue 19): who ran the investigative
analyses (every log event named "analysis.*": location, common plates, co-travel, locate,
cloned plates), how often, and how wide (places, windows, the time they span, analyses wider
than the purpose's own dates).

These are the searches most open to abuse (a stakeout of a clinic, a co-travel of a
journalist), so every user who ran one is listed, the most active first: the custodian sees the
whole of analysis use, not only what crosses a threshold. Pure: entries in, a Flag out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.oversight import Flag, FlagItem

PREFIX = "analysis."
FLAG_CODE = "analysis_use"
HOUR = 3600


def is_analysis(event: str) -> bool:
    return event.startswith(PREFIX)


def _windows(obj: Any) -> Iterator[tuple[int, int]]:
    """Every {"from": int, "to": int} anywhere in a logged query."""
    if isinstance(obj, dict):
        a, b = obj.get("from"), obj.get("to")
        if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) \
                and not isinstance(b, bool):
            yield a, b
        for v in obj.values():
            yield from _windows(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _windows(v)


@dataclass
class _User:
    label: str
    kinds: Counter[str] = field(default_factory=Counter)
    days: set[int] = field(default_factory=set)
    seqs: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    most_places: int = 0
    most_hours: float = 0.0
    widest_span_days: float = 0.0
    wider: int = 0
    reads: int = 0


def _kind(event: str) -> str:
    return event[len(PREFIX):].replace("_", " ") or "analysis"


def analysis_use_flag(entries: Iterable[LogEntry]) -> Flag:
    """One item per user who ran an analysis, the most analyses first."""
    users: dict[str, _User] = {}
    for e in entries:
        if not is_analysis(e.event):
            continue
        label = f"{e.username} ({e.organization})" if e.organization else e.username
        u = users.setdefault(e.username, _User(label))
        u.kinds[_kind(e.event)] += 1
        u.days.add(e.ts_ms // 86_400_000)
        u.seqs.append(e.seq)
        u.times.append(e.ts_ms)
        u.reads += int(e.result_count or 0)
        q, d = e.query, e.detail
        places = q.get("places") or q.get("sets") or []
        u.most_places = max(u.most_places, len(places) if isinstance(places, list) else 0)
        ws = list(_windows(q))
        if ws:
            u.most_hours = max(u.most_hours, sum(b - a for a, b in ws) / HOUR)
            span = (max(b for _a, b in ws) - min(a for a, _b in ws)) / 86_400
            u.widest_span_days = max(u.widest_span_days, span)
        if d.get("wider_than_purpose") or q.get("reason"):
            u.wider += 1
    items = []
    for name, u in sorted(users.items(), key=lambda x: (-len(x[1].seqs), x[0])):
        n = len(u.seqs)
        kinds = ", ".join(f"{c:,} {k}" for k, c in sorted(u.kinds.items(),
                                                         key=lambda x: (-x[1], x[0])))
        wide = []
        if u.most_places:
            wide.append(f"up to {u.most_places} places")
        if u.most_hours:
            wide.append(f"up to {u.most_hours:,.0f} hours of windows spanning "
                        f"{u.widest_span_days:,.1f} days")
        note = (f"Ran {n:,} {'analysis' if n == 1 else 'analyses'} ({kinds}) on "
                f"{len(u.days):,} day{'s' if len(u.days) != 1 else ''}"
                + (f"; {'; '.join(wide)}" if wide else "")
                + (f"; {u.wider:,} wider than the purpose's own dates, with a reason given"
                   if u.wider else "")
                + f"; {u.reads:,} reads or sightings returned.")
        items.append(FlagItem(u.label, note, u.seqs, u.times, key=f"{FLAG_CODE}|{name}"))
    return Flag(
        FLAG_CODE, "Use of investigative analyses",
        "Every user who ran a location search (stakeout), common-plates, co-travel, locate "
        "or cloned-plate analysis: how often, on how many days, how wide (places, total "
        "window hours and the days they span) and how many reached outside the purpose's "
        "own dates with a reason. Each analysis's full scope is in its log entry.",
        items)
