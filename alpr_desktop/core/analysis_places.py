"""Location search ("stakeout") and common plates (issue 19): who passed these places in these
windows, and which plates were at several of them.

Both reach every plate that passed a place, so each query is bounded (places, windows, their
width, a radius of at most a few kilometres), checked before it runs, and logged with every
place, window and filter (``as_log_dict``). A place is cameras, or a radius around a point,
or both: a read is at a radius place when its own position (a mobile reader) or else its
camera's lies within the radius. The pure work (which reads are at which place, the
first and last sighting of each plate per place, the plates common to k sets and their rank)
is here; storage only fetches the reads of a window.
"""

from __future__ import annotations

import fnmatch
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.patterns import Mode, Pattern, PatternError, parse
from alpr_desktop.core.search import MAX_LIST_VALUES, SearchInputError, _clean_values
from alpr_desktop.core.sightings import CameraSite

HOUR = 3600
DAY = 86_400
MAX_PLACES = 10
MAX_WINDOWS = 10  # per place
MAX_WINDOW_S = 7 * DAY  # one window
MAX_TOTAL_S = 31 * DAY  # all windows of one analysis together
MIN_RADIUS_M = 10.0
MAX_RADIUS_M = 5_000.0
MIN_SETS, MAX_SETS = 2, 10
MAX_READS = 20_000  # reads an answer lists (the plates' summaries are always complete)
MAX_SCAN = 2_000_000  # reads one analysis may examine; more is refused as too broad
MAX_COMMON_LISTED = 500
EARTH_M = 6_371_008.8


class AnalysisInputError(SearchInputError):
    """An analysis that cannot run as asked; ``str()`` says what to change."""


class AnalysisTooBroad(AnalysisInputError):
    """An analysis that would reach too many reads: refused, and the refusal logged with what
    was asked (``refusal_reason``), like a plate pattern too broad to run."""

    refusal_reason = "too_broad"


def _when(seconds: int) -> str:
    return format_local(seconds * 1000)[:16]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Window:
    """UTC seconds, both ends inclusive."""

    since: int
    until: int

    def __post_init__(self) -> None:
        for v in (self.since, self.until):
            if isinstance(v, bool) or not isinstance(v, int):
                raise AnalysisInputError("A time window is two times.")
        if self.until < self.since:
            raise AnalysisInputError(f"A time window ends before it starts "
                                     f"({_when(self.since)} to {_when(self.until)}).")
        if self.until - self.since > MAX_WINDOW_S:
            raise AnalysisTooBroad(
                f"A time window is at most {MAX_WINDOW_S // DAY} days wide "
                f"({_when(self.since)} to {_when(self.until)}); narrow it.")

    @property
    def seconds(self) -> int:
        return self.until - self.since

    def contains(self, t: int) -> bool:
        return self.since <= t <= self.until

    def as_log_dict(self) -> dict[str, int]:
        return {"from": self.since, "to": self.until}

    def words(self) -> str:
        return f"{_when(self.since)} to {_when(self.until)}"


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle around a radius (the index-friendly first cut)."""

    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class Place:
    """Where and when: cameras, or a radius around a point, or both, with its own windows."""

    label: str
    windows: tuple[Window, ...]
    camera_ids: tuple[int, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    radius_m: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", " ".join(str(self.label).split())[:60])
        object.__setattr__(self, "windows", tuple(self.windows))
        if len(self.camera_ids) > MAX_LIST_VALUES:
            raise AnalysisInputError(f"A place has at most {MAX_LIST_VALUES} cameras.")
        object.__setattr__(self, "camera_ids",
                           tuple(sorted({int(c) for c in self.camera_ids})))

    @property
    def has_radius(self) -> bool:
        return self.radius_m is not None

    def check(self, name: str) -> None:
        if not self.windows:
            raise AnalysisInputError(f"{name} has no time window: add when to look.")
        if len(self.windows) > MAX_WINDOWS:
            raise AnalysisInputError(f"{name} has more than {MAX_WINDOWS} time windows.")
        if self.radius_m is not None or self.latitude is not None or self.longitude is not None:
            if self.latitude is None or self.longitude is None or self.radius_m is None:
                raise AnalysisInputError(f"{name}: a radius needs a point (latitude and "
                                         "longitude) and a distance.")
            if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
                raise AnalysisInputError(f"{name}: the point is not a latitude and longitude.")
            if not (MIN_RADIUS_M <= self.radius_m <= MAX_RADIUS_M):
                raise AnalysisInputError(
                    f"{name}: the radius is {MIN_RADIUS_M:g} to {MAX_RADIUS_M:,.0f} metres.")
        elif not self.camera_ids:
            raise AnalysisInputError(f"{name} has no cameras and no radius: choose where.")

    def box(self) -> Box | None:
        if self.latitude is None or self.longitude is None or self.radius_m is None:
            return None
        dlat = math.degrees(self.radius_m / EARTH_M)
        dlon = dlat / max(0.01, math.cos(math.radians(self.latitude)))
        return Box(self.latitude - dlat, self.longitude - dlon,
                   self.latitude + dlat, self.longitude + dlon)

    def cameras_within(self, sites: Iterable[CameraSite]) -> set[int]:
        """The listed cameras and those whose position lies within the radius."""
        out = set(self.camera_ids)
        if self.latitude is not None and self.longitude is not None and self.radius_m:
            out |= {s.id for s in sites if distance_m(self.latitude, self.longitude,
                                                      s.latitude, s.longitude) <= self.radius_m}
        return out

    def holds(self, camera_id: int, lat: float | None, lon: float | None,
              sites: Mapping[int, CameraSite]) -> bool:
        """Whether a read at ``camera_id`` (own position ``lat``/``lon`` when known) is here."""
        if camera_id in self.camera_ids:
            return True
        if self.latitude is None or self.longitude is None or self.radius_m is None:
            return False
        if lat is None or lon is None:
            site = sites.get(camera_id)
            if site is None:
                return False
            lat, lon = site.latitude, site.longitude
        return distance_m(self.latitude, self.longitude, lat, lon) <= self.radius_m

    def as_log_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label,
                             "windows": [w.as_log_dict() for w in self.windows]}
        if self.camera_ids:
            d["camera_ids"] = list(self.camera_ids)
        if self.radius_m is not None:
            d["point"] = [self.latitude, self.longitude]
            d["radius_m"] = self.radius_m
        return d

    def words(self, camera_names: Mapping[int, str] | None = None) -> str:
        where = []
        if self.camera_ids:
            names = camera_names or {}
            where.append(", ".join(names.get(c, f"camera {c}") for c in self.camera_ids))
        if self.radius_m is not None:
            where.append(f"within {self.radius_m:,.0f} m of {self.latitude:.5f}, "
                         f"{self.longitude:.5f}")
        when = "; ".join(w.words() for w in self.windows)
        return f"{self.label}: {' and '.join(where)}, {when}"


@dataclass(frozen=True)
class PlateFilter:
    """Optional narrowing: a plate pattern (exact, wildcard or substring) and description
    elements (any of the values of each element; case-insensitive, exact)."""

    plate: str = ""
    plate_mode: str = Mode.AUTO.value
    makes: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    body_types: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("makes", "models", "colors", "body_types", "states", "directions"):
            object.__setattr__(self, name, _clean_values(name[:-1].replace("_", " "),
                                                         tuple(getattr(self, name))))
        object.__setattr__(self, "plate", str(self.plate).strip())

    def pattern(self) -> Pattern | None:
        if not self.plate:
            return None
        try:
            p = parse(self.plate, self.plate_mode)
        except PatternError as exc:
            raise AnalysisInputError(str(exc)) from None
        if p.mode is Mode.FUZZY:
            raise AnalysisInputError("An analysis takes an exact, wildcard or substring plate "
                                     "pattern, not a fuzzy one.")
        return p

    def description(self) -> dict[str, tuple[str, ...]]:
        """The description elements in use, by read column."""
        return {col: getattr(self, name) for col, name in (
            ("make", "makes"), ("model", "models"), ("color", "colors"),
            ("body_type", "body_types"), ("state", "states"), ("direction", "directions"))
            if getattr(self, name)}

    def as_log_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        p = self.pattern()
        if p is not None:
            d["pattern"] = p.text
            d["mode"] = p.mode.value
        for name in ("makes", "models", "colors", "body_types", "states", "directions"):
            if getattr(self, name):
                d[name] = list(getattr(self, name))
        return d

    def words(self) -> str:
        parts = []
        p = self.pattern()
        if p is not None:
            parts.append(f"plate {p.describe()}")
        for label, name in (("make", "makes"), ("model", "models"), ("color", "colors"),
                            ("body type", "body_types"), ("state", "states"),
                            ("direction", "directions")):
            if getattr(self, name):
                parts.append(f"{label} {' or '.join(getattr(self, name))}")
        return "; ".join(parts)


def plate_matcher(p: Pattern | None) -> Any:
    """A test of a normalized plate against the pattern (None: every plate)."""
    if p is None:
        return lambda _plate: True
    if p.mode is Mode.EXACT:
        return lambda plate: plate == p.text
    glob = p.glob()
    return lambda plate: fnmatch.fnmatchcase(plate, glob)


def _check_places(places: Sequence[Place], what: str, lo: int, hi: int) -> None:
    if not (lo <= len(places) <= hi):
        raise AnalysisInputError(f"Give {lo} to {hi} {what}." if lo > 1
                                 else f"Give at least one and at most {hi} {what}.")
    for i, place in enumerate(places, 1):
        place.check(f"{what[:-1].capitalize()} {i} ({place.label or 'unnamed'})")
    total = sum(w.seconds for p in places for w in p.windows)
    if total > MAX_TOTAL_S:
        raise AnalysisTooBroad(
            f"The windows add up to {total / DAY:.1f} days; an analysis covers at most "
            f"{MAX_TOTAL_S // DAY} days in all. Narrow the windows.")


@dataclass(frozen=True)
class LocationQuery:
    """A stakeout: reads at each place within its windows, optionally narrowed."""

    places: tuple[Place, ...]
    filters: PlateFilter = field(default_factory=PlateFilter)
    reason: str = ""  # why, when wider than the purpose's own dates (analysis_scope)

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", tuple(self.places))
        object.__setattr__(self, "reason", " ".join(str(self.reason).split())[:500])

    def check(self) -> None:
        _check_places(self.places, "places", 1, MAX_PLACES)
        self.filters.pattern()

    def windows(self) -> list[Window]:
        return [w for p in self.places for w in p.windows]

    def as_log_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"mode": "location", "places": [p.as_log_dict() for p in
                                                           self.places]}
        d.update(self.filters.as_log_dict())
        if self.reason:
            d["reason"] = self.reason
        return d

    def words(self, camera_names: Mapping[int, str] | None = None) -> str:
        text = "Location search: " + " | ".join(p.words(camera_names) for p in self.places)
        f = self.filters.words()
        return text + (f"; {f}" if f else "")


@dataclass(frozen=True)
class CommonPlatesQuery:
    """Plates seen in at least ``min_sets`` of two to ten place-and-window sets."""

    sets: tuple[Place, ...]
    min_sets: int = 2
    filters: PlateFilter = field(default_factory=PlateFilter)
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sets", tuple(self.sets))
        object.__setattr__(self, "reason", " ".join(str(self.reason).split())[:500])

    def check(self) -> None:
        _check_places(self.sets, "sets", MIN_SETS, MAX_SETS)
        if isinstance(self.min_sets, bool) or not isinstance(self.min_sets, int) or not (
                2 <= self.min_sets <= len(self.sets)):
            raise AnalysisInputError(f"A plate must be in at least 2 and at most "
                                     f"{len(self.sets)} of the sets (k).")
        self.filters.pattern()

    def windows(self) -> list[Window]:
        return [w for p in self.sets for w in p.windows]

    def as_log_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"mode": "common_plates", "min_sets": self.min_sets,
                             "sets": [p.as_log_dict() for p in self.sets]}
        d.update(self.filters.as_log_dict())
        if self.reason:
            d["reason"] = self.reason
        return d

    def words(self, camera_names: Mapping[int, str] | None = None) -> str:
        text = (f"Common plates (in at least {self.min_sets} of {len(self.sets)} sets): "
                + " | ".join(p.words(camera_names) for p in self.sets))
        f = self.filters.words()
        return text + (f"; {f}" if f else "")


# -- the work on fetched reads -------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A read as the analyses need it (storage's light row): no images, no description."""

    read_id: int
    plate: str
    recorded_at: int
    camera_id: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class PlateAtPlace:
    """A plate's sightings at one place (or set): first, last and how many."""

    place: int  # index into the query's places or sets
    label: str
    plate: str
    first_at: int
    last_at: int
    reads: int
    first_read_id: int
    last_read_id: int
    read_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CommonPlate:
    rank: int
    plate: str
    sets: tuple[int, ...]  # indexes of the sets it was seen in
    reads: int
    sightings: tuple[PlateAtPlace, ...]


def at_place(place: Place, hits: Iterable[Hit], sites: Mapping[int, CameraSite],
             matches: Any) -> list[Hit]:
    """The hits that are at the place, in one of its windows, and pass the plate test; each
    read once, in time order."""
    out: dict[int, Hit] = {}
    for h in hits:
        if h.read_id in out or not matches(h.plate):
            continue
        if not any(w.contains(h.recorded_at) for w in place.windows):
            continue
        if place.holds(h.camera_id, h.latitude, h.longitude, sites):
            out[h.read_id] = h
    return sorted(out.values(), key=lambda h: (h.recorded_at, h.read_id))


def per_plate(place: Place, index: int, hits: Sequence[Hit]) -> dict[str, PlateAtPlace]:
    """First and last sighting of each plate among ``hits`` (time-ordered, at the place)."""
    ids: defaultdict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        ids[h.plate].append(h)
    return {plate: PlateAtPlace(index, place.label, plate, hs[0].recorded_at,
                                hs[-1].recorded_at, len(hs), hs[0].read_id, hs[-1].read_id,
                                tuple(h.read_id for h in hs))
            for plate, hs in ids.items()}


def stakeout_plates(found: Sequence[Mapping[str, PlateAtPlace]]) -> list[PlateAtPlace]:
    """Every (place, plate), by place, then first sighting."""
    rows = [s for by_plate in found for s in by_plate.values()]
    return sorted(rows, key=lambda s: (s.place, s.first_at, s.plate))


def rank_common(found: Sequence[Mapping[str, PlateAtPlace]], min_sets: int,
                limit: int = MAX_COMMON_LISTED) -> tuple[list[CommonPlate], int]:
    """Plates in at least ``min_sets`` sets, ranked: more sets first; among equals the plate
    with fewer reads first (a car that passed each scene once tells more than a bus that
    passes every hour); then by plate. Returns the listed plates and how many qualified."""
    by_plate: defaultdict[str, list[PlateAtPlace]] = defaultdict(list)
    for by in found:
        for plate, s in by.items():
            by_plate[plate].append(s)
    qualified = [(plate, ss) for plate, ss in by_plate.items() if len(ss) >= min_sets]
    qualified.sort(key=lambda x: (-len(x[1]), sum(s.reads for s in x[1]), x[0]))
    out = [CommonPlate(i, plate, tuple(s.place for s in ss), sum(s.reads for s in ss),
                       tuple(sorted(ss, key=lambda s: s.place)))
           for i, (plate, ss) in enumerate(qualified[:limit], 1)]
    return out, len(qualified)


@dataclass(frozen=True)
class LocationResult:
    query: LocationQuery
    rows: tuple[Any, ...]  # SearchRow, oldest first (at most MAX_READS)
    plates: tuple[PlateAtPlace, ...]  # per place, first sighting first
    reads_found: int
    truncated: bool
    log_seq: int
    wider_than_purpose: bool = False


@dataclass(frozen=True)
class CommonPlatesResult:
    query: CommonPlatesQuery
    plates: tuple[CommonPlate, ...]
    rows: tuple[Any, ...]  # SearchRow of the listed plates' sightings, oldest first
    qualified: int  # plates in at least k sets (more than listed when over the limit)
    truncated: bool
    log_seq: int
    wider_than_purpose: bool = False
