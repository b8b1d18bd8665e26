"""What a plate search asks and what it returns: filters, queries, result rows, pages, cursors
and batch input. Pure Python; storage/search_queries.py turns these into SQL.

Every filter is also written to the access log (``Filters.as_log_dict``), so a later audit sees
exactly which data elements a query used (policy §5 (3)).
"""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.models import Read
from alpr_desktop.core.patterns import MatchKind, Mode, Pattern, PatternError, parse

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_BATCH_PLATES = 1000
MAX_LIST_VALUES = 50  # cameras, states, ...: more is not a filter any more
MAX_FILTER_TEXT = 40
DAY_S = 86_400


class SearchInputError(ValueError):
    """A filter or batch list that cannot be searched; ``str()`` says why in a sentence."""


class TimePreset(StrEnum):
    """Relative windows, resolved against the service clock when the query runs."""

    LAST_HOUR = "last_hour"
    LAST_24_HOURS = "last_24_hours"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    LAST_90_DAYS = "last_90_days"

    @property
    def seconds(self) -> int:
        return _PRESET_SECONDS[self]

    @property
    def label(self) -> str:
        return _PRESET_LABELS[self]


_PRESET_SECONDS = {
    TimePreset.LAST_HOUR: 3600,
    TimePreset.LAST_24_HOURS: DAY_S,
    TimePreset.LAST_7_DAYS: 7 * DAY_S,
    TimePreset.LAST_30_DAYS: 30 * DAY_S,
    TimePreset.LAST_90_DAYS: 90 * DAY_S,
}
_PRESET_LABELS = {
    TimePreset.LAST_HOUR: "Last hour",
    TimePreset.LAST_24_HOURS: "Last 24 hours",
    TimePreset.LAST_7_DAYS: "Last 7 days",
    TimePreset.LAST_30_DAYS: "Last 30 days",
    TimePreset.LAST_90_DAYS: "Last 90 days",
}


@dataclass(frozen=True)
class TimeOfDay:
    """Minutes after local midnight, start inclusive, end exclusive; start > end crosses
    midnight (22:00 to 04:00 is the night)."""

    start_min: int
    end_min: int

    def __post_init__(self) -> None:
        for v in (self.start_min, self.end_min):
            if not 0 <= v < 24 * 60:
                raise SearchInputError("A time of day is between 00:00 and 23:59.")
        if self.start_min == self.end_min:
            raise SearchInputError("The time-of-day window starts and ends at the same minute.")

    @property
    def crosses_midnight(self) -> bool:
        return self.start_min > self.end_min

    def contains(self, minute_of_day: int) -> bool:
        if self.crosses_midnight:
            return minute_of_day >= self.start_min or minute_of_day < self.end_min
        return self.start_min <= minute_of_day < self.end_min

    @classmethod
    def of(cls, start: time, end: time) -> TimeOfDay:
        return cls(start.hour * 60 + start.minute, end.hour * 60 + end.minute)

    def label(self) -> str:
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}-" \
               f"{self.end_min // 60:02d}:{self.end_min % 60:02d}"


def _clean_values(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    if len(values) > MAX_LIST_VALUES:
        raise SearchInputError(f"Choose at most {MAX_LIST_VALUES} values for {name}.")
    out = []
    for v in values:
        s = str(v).strip()
        if not s:
            continue
        if len(s) > MAX_FILTER_TEXT or not s.isprintable():
            raise SearchInputError(f"The {name} value {s[:20]!r}… is not a valid {name}.")
        out.append(s)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Filters:
    """Everything besides the plate. Text filters match case-insensitively and exactly; a
    tuple means any of its values. ``None`` or empty means no filter."""

    since: int | None = None  # UTC seconds, inclusive
    until: int | None = None  # UTC seconds, inclusive
    preset: TimePreset | None = None  # overrides since/until, resolved at query time
    time_of_day: TimeOfDay | None = None  # in the site zone
    camera_ids: tuple[int, ...] = ()
    states: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    body_types: tuple[str, ...] = ()
    speed_min: float | None = None
    speed_max: float | None = None
    min_confidence: float | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise SearchInputError("The time window ends before it starts.")
        if (self.speed_min is not None and self.speed_max is not None
                and self.speed_min > self.speed_max):
            raise SearchInputError("The lowest speed is above the highest speed.")
        for v in (self.speed_min, self.speed_max, self.min_confidence):
            if v is not None and not (v == v and abs(v) < 1e6):  # rejects NaN and inf
                raise SearchInputError("A speed or confidence must be a number.")
        if len(self.camera_ids) > MAX_LIST_VALUES:
            raise SearchInputError(f"Choose at most {MAX_LIST_VALUES} cameras.")
        for name in ("states", "makes", "models", "colors", "body_types"):
            object.__setattr__(self, name, _clean_values(name[:-1], getattr(self, name)))
        object.__setattr__(self, "camera_ids", tuple(sorted({int(c) for c in self.camera_ids})))

    def window(self, now_s: int) -> tuple[int | None, int | None]:
        """The absolute recorded-at window (inclusive) at ``now_s``."""
        if self.preset is not None:
            return now_s - self.preset.seconds, now_s
        return self.since, self.until

    def resolved(self, now_s: int) -> Filters:
        """The same filters with a preset turned into absolute bounds (what actually ran)."""
        since, until = self.window(now_s)
        return replace(self, since=since, until=until, preset=None)

    def as_log_dict(self) -> dict[str, Any]:
        """Every filter in use, for the access log; unused filters are left out."""
        d: dict[str, Any] = {}
        if self.preset is not None:
            d["preset"] = str(self.preset)
        if self.since is not None or self.until is not None:
            d["time_window"] = {"from": self.since, "to": self.until}
        if self.time_of_day is not None:
            d["time_of_day"] = self.time_of_day.label()
        for name in ("camera_ids", "states", "makes", "models", "colors", "body_types"):
            value = getattr(self, name)
            if value:
                d[name] = list(value)
        if self.speed_min is not None or self.speed_max is not None:
            d["speed"] = {"min": self.speed_min, "max": self.speed_max}
        if self.min_confidence is not None:
            d["min_confidence"] = self.min_confidence
        return d


class SortColumn(StrEnum):
    """What the engine orders results by. BEST is match kind, then newest first (the default);
    MATCH descending lists the weakest matches first. Every other column is ordered with the
    read id as tie-break, so keyset pages have one total order (DESIGN "Plate search")."""

    BEST = "best"
    TIME = "time"
    PLATE = "plate"
    STATE = "state"
    CAMERA = "camera"
    CONFIDENCE = "confidence"
    DIRECTION = "direction"
    VEHICLE = "vehicle"  # make / model / color, as the results table shows them
    SPEED = "speed"  # a read without a speed sorts below any speed
    MATCH = "match"

    @property
    def by_value(self) -> bool:
        """Ordered by a column value (not by match-kind tiers)."""
        return self not in (SortColumn.BEST, SortColumn.MATCH)


@dataclass(frozen=True)
class SearchQuery:
    """A plate pattern with its mode, the filters, how many rows a page holds and the order
    (``sort`` with ``descending``)."""

    text: str
    mode: Mode | str = Mode.AUTO
    filters: Filters = field(default_factory=Filters)
    page_size: int = DEFAULT_PAGE_SIZE
    sort: SortColumn | str = SortColumn.BEST
    descending: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "sort", SortColumn(self.sort))
        except ValueError:
            raise SearchInputError(f"Results cannot be sorted by {self.sort!r}.") from None
        object.__setattr__(self, "descending", bool(self.descending))
        if self.sort is SortColumn.BEST:
            object.__setattr__(self, "descending", False)

    @property
    def order(self) -> tuple[SortColumn, bool]:
        return SortColumn(self.sort), self.descending

    def pattern(self) -> Pattern:
        return parse(self.text, self.mode)

    def checked_page_size(self) -> int:
        return max(1, min(int(self.page_size), MAX_PAGE_SIZE))


@dataclass(frozen=True)
class SearchRow:
    """One result: the read and how it matched (``matched_plate`` is the stored plate or
    alternate candidate that the pattern hit)."""

    read: Read
    kind: MatchKind
    matched_plate: str
    # The correction in force on the read, in words ("plate 7ABC128"), when it has one: the
    # read's own values stay as the camera read them (policy §7).
    corrected: str | None = None

    @property
    def id(self) -> int:
        return self.read.id


SortValue = int | float | str


@dataclass(frozen=True)
class Cursor:
    """Keyset position after the last row shown: (match rank, recorded_at, id) in match
    order, or (``value`` of the sort column, id) when sorted by a column."""

    rank: int
    recorded_at: int
    read_id: int
    fingerprint: str  # of the query, so a cursor cannot be replayed on another search
    since: int | None = None  # the window the first page resolved (a preset stays put)
    until: int | None = None
    value: SortValue | None = None

    def token(self) -> str:
        fields: list[object] = [self.rank, self.recorded_at, self.read_id, self.fingerprint,
                                self.since, self.until]
        if self.value is not None:
            fields.append(self.value)
        raw = json.dumps(fields, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    @classmethod
    def from_token(cls, token: str) -> Cursor:
        def opt_int(v: object) -> bool:
            return v is None or (isinstance(v, int) and not isinstance(v, bool))

        try:
            if not isinstance(token, str) or len(token) > 512:
                raise ValueError
            fields = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
            if not isinstance(fields, list) or len(fields) not in (6, 7):
                raise ValueError
            rank, t, rid, fp, since, until = fields[:6]
            value = fields[6] if len(fields) == 7 else None
            if not (isinstance(rank, int) and isinstance(t, int) and isinstance(rid, int)
                    and isinstance(fp, str) and opt_int(since) and opt_int(until)):
                raise ValueError
            if value is not None and (isinstance(value, bool) or not isinstance(
                    value, int | float | str) or (isinstance(value, str) and len(value) > 200)):
                raise ValueError
        except (ValueError, TypeError, UnicodeError):
            raise SearchInputError("The page position is not valid; search again.") from None
        return cls(rank, t, rid, fp, since, until, value)


@dataclass(frozen=True)
class Page:
    """One page of results, best match first. ``next_cursor`` is None on the last page.
    ``total`` counts all matching reads up to ``total_cap`` (``total_capped`` when more)."""

    rows: tuple[SearchRow, ...]
    next_cursor: str | None
    pattern: Pattern
    plates_matched: int
    plan: str  # how the pattern was resolved, in words (shown as a tooltip, logged)
    elapsed_ms: float
    total: int | None = None
    total_capped: bool = False
    log_seq: int = 0
    plates_found: int | None = None  # distinct plates among all matching reads (first page)
    plates_capped: bool = False
    sort: SortColumn = SortColumn.BEST
    descending: bool = False

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


@dataclass(frozen=True)
class SearchCount:
    """A search's counts, asked for after its first page came without them (issue 20: the
    rows show before the total): what that page's ``total`` and ``plates_found`` would have
    said. ``log_seq`` is the count's own access-log entry."""

    total: int
    total_capped: bool
    plates_found: int
    plates_capped: bool
    log_seq: int
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class BatchGroup:
    plate: str
    rows: tuple[SearchRow, ...]
    truncated: bool = False


@dataclass(frozen=True)
class BatchResult:
    """Results grouped by plate, in input order; plates without reads have empty groups."""

    groups: tuple[BatchGroup, ...]
    elapsed_ms: float
    log_seq: int = 0

    @property
    def plates_without_reads(self) -> list[str]:
        return [g.plate for g in self.groups if not g.rows]

    @property
    def read_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass(frozen=True)
class PlateList:
    plates: tuple[str, ...]
    problems: tuple[str, ...]  # one sentence per rejected line


def parse_plate_list(text: str) -> PlateList:
    """Plates from pasted text or a text/CSV file: one per line, or the first column (a
    "plate" column when the header names one). Duplicates are dropped; each unusable line
    gets a sentence; more than MAX_BATCH_PLATES is refused."""
    if len(text) > 1_000_000:
        raise SearchInputError("The list is too large (more than a megabyte).")
    rows = list(csv.reader(io.StringIO(text.replace("\x00", ""))))
    col = 0
    if rows and any(c.strip().lower() in ("plate", "plate number", "license plate")
                    for c in rows[0]):
        col = next(i for i, c in enumerate(rows[0])
                   if c.strip().lower() in ("plate", "plate number", "license plate"))
        rows = rows[1:]
    plates: dict[str, None] = {}
    problems: list[str] = []
    for n, row in enumerate(rows, start=1):
        cell = row[col].strip() if len(row) > col else ""
        if not cell:
            continue
        try:
            p = parse(cell, Mode.EXACT)
        except PatternError as exc:
            problems.append(f"Line {n}: {exc}")
            continue
        if p.mode is not Mode.EXACT:
            problems.append(f"Line {n}: a batch takes whole plates, without * or ?.")
            continue
        plates[p.text] = None
    if len(plates) > MAX_BATCH_PLATES:
        raise SearchInputError(f"A batch holds at most {MAX_BATCH_PLATES} plates.")
    return PlateList(tuple(plates), tuple(problems))


# -- time of day in the site zone ----------------------------------------------------------


@lru_cache(maxsize=64)
def _year_segments(zone_key: str, year: int) -> tuple[tuple[int, int], ...]:
    """(start UTC second, UTC offset seconds) for each offset change in ``year``."""
    zone = ZoneInfo(zone_key)
    start = datetime(year, 1, 1, tzinfo=zone)
    out: list[tuple[int, int]] = []
    t = int(start.timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=zone).timestamp())
    off = _offset(zone, t)
    out.append((t, off))
    step = DAY_S
    while t < end:
        nxt = min(t + step, end)
        o2 = _offset(zone, nxt)
        if o2 != off:
            lo, hi = t, nxt  # offset(lo) == off, offset(hi) != off: bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(zone, mid) == off:
                    lo = mid
                else:
                    hi = mid
            out.append((hi, o2))
            off = o2
        t = nxt
    return tuple(out)


def _offset(zone: ZoneInfo, t: int) -> int:
    off = datetime.fromtimestamp(t, tz=zone).utcoffset() or timedelta(0)
    return int(off.total_seconds())


def offset_segments(since: int, until: int, zone: ZoneInfo = SITE_ZONE) -> list[tuple[int, int]]:
    """The site zone's UTC offsets over [since, until] as (from UTC second, offset) pairs,
    the first covering ``since``: SQL then computes local time of day without a function."""
    y0 = datetime.fromtimestamp(since, tz=zone).year
    y1 = datetime.fromtimestamp(until, tz=zone).year
    segs: list[tuple[int, int]] = []
    for y in range(y0, y1 + 1):
        segs.extend(_year_segments(str(zone.key), y))
    kept = [s for s in segs if s[0] <= since][-1:] + [s for s in segs if since < s[0] <= until]
    out: list[tuple[int, int]] = []
    for s in kept:
        if not out or out[-1][1] != s[1]:
            out.append(s)
    return out


def local_minute_of_day(epoch_s: int, zone: ZoneInfo = SITE_ZONE) -> int:
    d = datetime.fromtimestamp(epoch_s, tz=zone)
    return d.hour * 60 + d.minute


def query_fingerprint(pattern: Pattern, filters: Filters, page_size: int,
                      order: tuple[SortColumn, bool] = (SortColumn.BEST, False)) -> str:
    import hashlib

    parts: list[object] = [pattern.text, str(pattern.mode), filters.as_log_dict(), page_size]
    if order[0] is not SortColumn.BEST:
        parts.append([str(order[0]), order[1]])
    raw = json.dumps(parts, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def sort_value(row: SearchRow, column: SortColumn) -> SortValue:
    """The value a row is sorted by, as the engine's SQL orders it (BINARY text order)."""
    r = row.read
    if column is SortColumn.TIME:
        return r.recorded_at
    if column is SortColumn.PLATE:
        return r.plate_norm
    if column is SortColumn.STATE:
        return r.state
    if column is SortColumn.CAMERA:
        return r.camera_name
    if column is SortColumn.CONFIDENCE:
        return r.confidence
    if column is SortColumn.DIRECTION:
        return r.direction
    if column is SortColumn.VEHICLE:
        return f"{r.make} / {r.model} / {r.color}"
    if column is SortColumn.SPEED:
        return -1.0 if r.speed is None else float(r.speed)
    return int(row.kind)
