"""A plate's profile: every sighting in time order, and what the analyst reads off it (first
and last seen, count per camera, the weekday-by-hour pattern, the long absences).

Pure Python over the rows the gated service fetched; times are shown in the site's zone.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE, to_local
from alpr_desktop.core.patterns import MatchKind, Mode, PatternError, parse
from alpr_desktop.core.search import SearchInputError, SearchRow

MAX_PROFILE_READS = 5000
DEFAULT_GAP_HOURS = 72.0
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ProfileRequest:
    """``plate`` whole (no wildcards); ``lookalikes`` adds the OCR look-alikes and the reads
    whose alternate candidates name the plate, each marked as such."""

    plate: str
    lookalikes: bool = False
    gap_hours: float = DEFAULT_GAP_HOURS

    def normalized(self) -> str:
        try:
            p = parse(self.plate, Mode.EXACT)
        except PatternError as exc:
            raise SearchInputError(str(exc)) from None
        if p.mode is not Mode.EXACT:
            raise SearchInputError("A profile is of one whole plate, without * or ?.")
        return p.text

    def gap_seconds(self) -> int:
        h = float(self.gap_hours)
        if not (h == h) or h <= 0 or h > 24 * 366:
            raise SearchInputError("A gap is between a minute and a year long.")
        return max(60, int(h * 3600))


@dataclass(frozen=True)
class Gap:
    start: int  # UTC seconds of the read before the gap
    end: int  # UTC seconds of the read after it

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class PlateProfile:
    plate: str
    rows: tuple[SearchRow, ...]  # oldest first
    per_camera: tuple[tuple[str, int], ...]  # most reads first
    heatmap: tuple[tuple[int, ...], ...]  # 7 weekdays (Monday first) x 24 hours, site time
    gaps: tuple[Gap, ...]
    gap_hours: float
    lookalikes: bool
    truncated: bool  # more than MAX_PROFILE_READS: the oldest are shown
    log_seq: int = 0

    @property
    def first_seen(self) -> int | None:
        return self.rows[0].read.recorded_at if self.rows else None

    @property
    def last_seen(self) -> int | None:
        return self.rows[-1].read.recorded_at if self.rows else None

    @property
    def exact_count(self) -> int:
        return sum(1 for r in self.rows if r.kind is MatchKind.EXACT)

    @property
    def heat_max(self) -> int:
        return max((max(row) for row in self.heatmap), default=0)


def build_profile(plate: str, rows: Sequence[SearchRow], *, gap_hours: float,
                  lookalikes: bool, truncated: bool, log_seq: int = 0,
                  zone: ZoneInfo = SITE_ZONE) -> PlateProfile:
    """The profile's figures from ``rows`` (any order; sorted oldest first here)."""
    ordered = tuple(sorted(rows, key=lambda r: (r.read.recorded_at, r.read.id)))
    counts = Counter(r.read.camera_name for r in ordered)
    per_camera = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    heat = [[0] * 24 for _ in range(7)]
    offsets: dict[int, int | None] = {}  # UTC day -> the zone's offset all that day, or None
    for r in ordered:
        t = r.read.recorded_at
        day = t // 86_400
        if day not in offsets:
            a, b = _offset(day * 86_400, zone), _offset(day * 86_400 + 86_399, zone)
            offsets[day] = a if a == b else None
        off = offsets[day]
        if off is None:  # the day the clocks change: this read's own offset
            off = _offset(t, zone)
        local = t + off
        heat[(local // 86_400 + 3) % 7][(local % 86_400) // 3600] += 1  # 1970-01-01: a Thursday
    span = max(60, int(gap_hours * 3600))
    gaps = tuple(Gap(a.read.recorded_at, b.read.recorded_at)
                 for a, b in itertools.pairwise(ordered)
                 if b.read.recorded_at - a.read.recorded_at > span)
    return PlateProfile(plate, ordered, per_camera, tuple(tuple(h) for h in heat), gaps,
                        gap_hours, lookalikes, truncated, log_seq)


def _offset(t: int, zone: ZoneInfo) -> int:
    """The zone's offset from UTC at ``t``, in seconds."""
    off = to_local(t, zone).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def duration_words(seconds: int) -> str:
    """"3 days 4 h", "5 h 20 min", "12 min"."""
    d, rest = divmod(max(0, int(seconds)), 86_400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    if d:
        return f"{d} day{'s' if d != 1 else ''}" + (f" {h} h" if h else "")
    if h:
        return f"{h} h" + (f" {m} min" if m else "")
    return f"{m} min"
