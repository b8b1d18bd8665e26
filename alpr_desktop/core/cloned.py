"""Cloned-plate check (issue 19): reads of one plate too far apart for the time between them.

Two reads of a plate 30 km apart five minutes apart are two cars (a cloned or stolen plate) or
a misread: either way someone should look at both images. Only consecutive reads of a plate
need checking: if every step of a trip is possible, the trip is (the triangle inequality).
A read's own coordinates (a mobile reader) win over its camera's. ``clock_slack_s`` is added
to each interval so that two cameras whose clocks differ by a minute do not flag every car,
and pairs closer than ``min_distance_km`` are never flagged (neighbouring cameras).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alpr_desktop.core.cotravel import check_window
from alpr_desktop.core.search import SearchInputError

EARTH_RADIUS_KM = 6371.0088
DEFAULT_MAX_SPEED_KMH = 200.0
DEFAULT_MIN_DISTANCE_KM = 1.0
DEFAULT_CLOCK_SLACK_S = 60
MAX_STORE_DAYS = 31  # the whole-store check, per run
MAX_RESULT_READS = 20_000
MAX_PAIRS = 2000  # listed; more are counted


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class ClonedLimits:
    max_speed_kmh: float = DEFAULT_MAX_SPEED_KMH
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM
    clock_slack_s: int = DEFAULT_CLOCK_SLACK_S

    def check(self) -> None:
        if not (10 <= float(self.max_speed_kmh) <= 2000):
            raise SearchInputError("The speed limit is 10 to 2,000 km/h.")
        if not (0 <= float(self.min_distance_km) <= 500):
            raise SearchInputError("The shortest distance is 0 to 500 km.")
        if not (isinstance(self.clock_slack_s, int) and 0 <= self.clock_slack_s <= 3600):
            raise SearchInputError("The clock allowance is 0 to 3,600 seconds.")

    def as_log_dict(self) -> dict[str, Any]:
        return {"max_speed_kmh": float(self.max_speed_kmh),
                "min_distance_km": float(self.min_distance_km),
                "clock_slack_s": self.clock_slack_s}


@dataclass(frozen=True)
class StoreCheck:
    """The whole store over a window (at most MAX_STORE_DAYS)."""

    since: int
    until: int
    limits: ClonedLimits = ClonedLimits()

    def check(self) -> None:
        check_window(self.since, self.until, MAX_STORE_DAYS)
        self.limits.check()

    def as_log_dict(self) -> dict[str, Any]:
        return {"analysis": "cloned", "scope": "store", "since": self.since,
                "until": self.until, **self.limits.as_log_dict()}


@dataclass(frozen=True)
class ResultsCheck:
    """The reads of a result set the analyst already has."""

    read_ids: tuple[int, ...]
    limits: ClonedLimits = ClonedLimits()

    def checked(self) -> tuple[int, ...]:
        ids = tuple(dict.fromkeys(int(i) for i in self.read_ids))
        if not ids:
            raise SearchInputError("There are no reads to check.")
        if len(ids) > MAX_RESULT_READS:
            raise SearchInputError(f"The check takes at most {MAX_RESULT_READS:,} reads.")
        self.limits.check()
        return ids

    def as_log_dict(self) -> dict[str, Any]:
        return {"analysis": "cloned", "scope": "results",
                "read_ids": [int(i) for i in self.read_ids[:1000]],
                "read_count": len(self.read_ids), **self.limits.as_log_dict()}


@dataclass(frozen=True)
class Fix:
    """A read with a place: its own coordinates, else its camera's."""

    read_id: int
    plate_key: int  # the plate's id: reads are compared within one plate
    recorded_at: int
    latitude: float
    longitude: float
    camera_id: int
    own_position: bool = False  # the read's own coordinates, not its camera's


@dataclass(frozen=True)
class ImpossiblePair:
    plate: str
    first: Fix
    second: Fix
    distance_km: float
    seconds: int
    speed_kmh: float  # with the clock allowance
    first_place: str = ""  # camera name, and whether the read's own position was used
    second_place: str = ""


def impossible_pairs(fixes: Sequence[Fix], limits: ClonedLimits) -> list[tuple[Fix, Fix, float,
                                                                                 float]]:
    """(first, second, km, km/h) of each consecutive pair of one plate's reads faster than
    the limit; fastest first."""
    ordered = sorted(fixes, key=lambda f: (f.plate_key, f.recorded_at, f.read_id))
    out = []
    slack = limits.clock_slack_s
    top, shortest = float(limits.max_speed_kmh), float(limits.min_distance_km)
    for a, b in itertools.pairwise(ordered):
        if a.plate_key != b.plate_key:
            continue
        if a.latitude == b.latitude and a.longitude == b.longitude:
            continue
        km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
        if km < shortest:
            continue
        hours = (b.recorded_at - a.recorded_at + slack) / 3600
        speed = math.inf if hours <= 0 else km / hours
        if speed > top:
            out.append((a, b, km, speed))
    out.sort(key=lambda t: -t[3])
    return out


@dataclass(frozen=True)
class ClonedResult:
    scope: str  # results or store
    limits: ClonedLimits
    checked_reads: int
    unplaced: int  # reads without a place (no coordinates, camera not placed)
    pairs: tuple[ImpossiblePair, ...]
    total_pairs: int  # more than MAX_PAIRS: the fastest are listed
    rows: tuple[Any, ...]  # SearchRow of the listed pairs' reads
    log_seq: int = 0

    @property
    def plates(self) -> tuple[tuple[str, int], ...]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[p.plate] = counts.get(p.plate, 0) + 1
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
