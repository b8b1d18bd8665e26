"""The oversight checks' settings: working hours, night, and the thresholds of each flag.

They are store settings the custodian edits (each change logged), not options of one report:
a report that could be made with looser thresholds on request would hide what a stricter one
shows (issue 21). Stored as JSON; a value that is missing or unreadable takes its default, so
a store written by an older program still reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alpr_desktop.core.clock import SITE_ZONE

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class OversightSettingError(ValueError):
    """A setting outside what makes sense; the message says which."""


@dataclass(frozen=True)
class OversightConfig:
    """Thresholds of the flags; the report prints them so a reader knows what was tested."""

    repeat_threshold: int = 3  # one user, one plate, at least this many look-ups
    work_start: dtime = dtime(7, 0)
    work_end: dtime = dtime(19, 0)
    work_days: frozenset[int] = frozenset(range(5))  # Monday = 0
    night_start: dtime = dtime(22, 0)
    night_end: dtime = dtime(6, 0)
    zone: ZoneInfo = field(default=SITE_ZONE)
    volume_factor: float = 3.0  # flagged above factor x the median user's searches ...
    volume_minimum: int = 50  # ... and at least this many searches
    focus_plates: int = 10  # a search "reached" each plate of results holding at most this many
    legit_span_days: int = 7  # repeats under one case and one purpose within this many days
    reuse_plates: int = 6  # one case number or narrative for at least this many plates ...
    reuse_days: int = 5  # ... on at least this many different days
    narrative_similarity: float = 0.8  # word overlap that makes two narratives one
    unspecific_plates: int = 3  # plates a purpose neither names nor describes
    broad_threshold: int = 3  # broad, description or location searches per user
    refused_threshold: int = 3  # refused attempts per user (lockouts included)
    off_hours_threshold: int = 3  # accesses outside working hours per user

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise OversightSettingError(" ".join(problems))

    def problems(self) -> list[str]:
        out = []
        if not self.work_start < self.work_end:
            out.append("Working hours must end after they start.")
        if self.night_start == self.night_end:
            out.append("The night must start and end at different times.")
        if not self.work_days <= frozenset(range(7)):
            out.append("Working days are Monday (0) to Sunday (6).")
        for name in ("repeat_threshold", "focus_plates", "reuse_plates", "reuse_days",
                     "unspecific_plates", "broad_threshold", "refused_threshold",
                     "off_hours_threshold", "volume_minimum"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 100_000:
                out.append(f"{LABELS[name]} must be a whole number from 1 to 100,000.")
        if self.repeat_threshold < 2:
            out.append("Repeated look-ups start at 2.")
        if self.focus_plates > 25:
            out.append("A search reaches its plates when it found at most 25 (the log names "
                       "no more).")
        if not 0 <= self.legit_span_days <= 365:
            out.append("The span of a legitimate repeat is 0 to 365 days.")
        if not 1.0 <= self.volume_factor <= 1000:
            out.append("The volume factor is 1 to 1,000.")
        if not 0.5 <= self.narrative_similarity <= 1.0:
            out.append("Narrative similarity is 0.5 to 1.0.")
        return out

    # -- words ---------------------------------------------------------------------------------
    def work_day_names(self) -> str:
        days = sorted(self.work_days)
        if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
        return ", ".join(DAY_NAMES[d] for d in days) or "no days"

    def describe_hours(self) -> str:
        return (f"{self.work_start:%H:%M}-{self.work_end:%H:%M} {self.work_day_names()} "
                f"({self.zone.key})")

    def describe_night(self) -> str:
        return f"{self.night_start:%H:%M} to {self.night_end:%H:%M}"

    # -- storage form --------------------------------------------------------------------------
    def to_json(self) -> str:
        d: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, dtime):
                v = f"{v:%H:%M}"
            elif isinstance(v, frozenset):
                v = sorted(v)
            elif isinstance(v, ZoneInfo):
                v = v.key
            d[f.name] = v
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> OversightConfig:
        """The stored settings; defaults for what is missing or unreadable."""
        base = cls()
        if not text:
            return base
        try:
            raw = json.loads(text)
        except ValueError:
            return base
        if not isinstance(raw, dict):
            return base
        out = base
        for f in fields(cls):
            if f.name not in raw:
                continue
            try:
                out = replace(out, **{f.name: _parse_value(f.name, raw[f.name], base)})
            except (OversightSettingError, ValueError, TypeError, ZoneInfoNotFoundError):
                continue
        return out

    def as_dict(self) -> dict[str, Any]:
        return json.loads(self.to_json())


def _parse_value(name: str, value: Any, base: OversightConfig) -> Any:
    current = getattr(base, name)
    if isinstance(current, dtime):
        hh, mm = str(value).split(":")
        return dtime(int(hh), int(mm))
    if isinstance(current, frozenset):
        return frozenset(int(v) for v in value)
    if isinstance(current, ZoneInfo):
        return ZoneInfo(str(value))
    if isinstance(current, float):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(name)
    return int(value)


def config_changes(old: OversightConfig, new: OversightConfig) -> dict[str, dict[str, Any]]:
    """What changed, setting by setting, for the log entry."""
    a, b = old.as_dict(), new.as_dict()
    return {k: {"from": a[k], "to": b[k]} for k in a if a[k] != b.get(k)}


LABELS: dict[str, str] = {
    "repeat_threshold": "Repeated look-ups of one plate flagged at",
    "work_start": "Working hours start",
    "work_end": "Working hours end",
    "work_days": "Working days",
    "night_start": "Night starts",
    "night_end": "Night ends",
    "zone": "Time zone",
    "volume_factor": "Volume flagged above this many times the median user",
    "volume_minimum": "Volume flagged from this many searches",
    "focus_plates": "A search counts as a look-up of each plate it found, up to",
    "legit_span_days": "Repeats under one case and purpose explained within (days)",
    "reuse_plates": "One case number or narrative flagged from this many plates",
    "reuse_days": "... on this many different days",
    "narrative_similarity": "Narratives count as near-identical from this word overlap",
    "unspecific_plates": "Purposes flagged when this many plates are not named or described",
    "broad_threshold": "Broad, description or location searches flagged at",
    "refused_threshold": "Refused attempts flagged at",
    "off_hours_threshold": "Accesses outside working hours flagged at",
}

__all__ = ["DAY_NAMES", "DAY_SHORT", "LABELS", "OversightConfig", "OversightSettingError",
           "config_changes"]
