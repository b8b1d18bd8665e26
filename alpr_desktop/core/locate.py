"""Locate (issue 19): where and when a plate is usually seen.

Pure Python over the plate's sightings in a window: counts by camera and by hour of the week
(site time), a likelihood per place (the share of its sightings there) and, per camera and hour
of the week, the share of the sightings at that hour that were there. Every figure carries the
number of sightings behind it, so that "80 %" of five reads is never taken for 80 % of 500.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE, to_local
from alpr_desktop.core.cotravel import Point, check_window, whole_plate

MAX_LOCATE_POINTS = 200_000  # sightings counted; more: narrow the window
MAX_LOCATE_ROWS = 5000  # reads listed (the newest)
TOP_CELLS = 30


@dataclass(frozen=True)
class LocateRequest:
    plate: str
    since: int
    until: int

    def checked(self) -> str:
        plate = whole_plate(self.plate)
        check_window(self.since, self.until)
        return plate

    def as_log_dict(self) -> dict[str, Any]:
        return {"analysis": "locate", "pattern": str(self.plate)[:64], "mode": "exact",
                "since": self.since, "until": self.until}


@dataclass(frozen=True)
class PlaceFigure:
    camera_id: int
    camera_name: str
    location: str
    sightings: int
    days: int  # distinct local days with a sighting here
    likelihood: float  # sightings here / all sightings
    heat: tuple[tuple[int, ...], ...]  # 7 weekdays (Monday first) x 24 hours, site time
    busiest: tuple[int, int, int]  # weekday, hour, sightings


@dataclass(frozen=True)
class TimeCell:
    """One camera at one hour of the week."""

    camera_id: int
    camera_name: str
    weekday: int  # 0 = Monday
    hour: int
    sightings: int
    at_hour: int  # all sightings of the plate at this hour of the week
    likelihood: float  # sightings / at_hour: where it is, when seen at this hour


@dataclass(frozen=True)
class LocateResult:
    plate: str
    request: LocateRequest
    total: int
    days_seen: int
    places: tuple[PlaceFigure, ...]  # likeliest first
    cells: tuple[TimeCell, ...]  # most sightings first (at most TOP_CELLS)
    heatmap: tuple[tuple[int, ...], ...]  # all places
    rows: tuple[Any, ...]  # SearchRow, oldest first (the newest MAX_LOCATE_ROWS)
    truncated: bool
    log_seq: int = 0


def locate(plate: str, request: LocateRequest, points: Sequence[Point],
           cameras: dict[int, tuple[str, str]], rows: Sequence[Any] = (),
           truncated: bool = False, log_seq: int = 0,
           zone: ZoneInfo = SITE_ZONE) -> LocateResult:
    """The figures of ``points`` (the plate's sightings); ``cameras`` id -> (name, place)."""
    cell_of: dict[int, tuple[int, int, int]] = {}  # UTC hour -> (day ordinal, weekday, hour)
    per_cell: Counter[tuple[int, int, int]] = Counter()  # camera, weekday, hour
    days: dict[int, set[int]] = defaultdict(set)
    all_days: set[int] = set()
    for p in points:
        key = p.recorded_at // 3600
        c = cell_of.get(key)
        if c is None:
            t = to_local(key * 3600, zone)
            c = cell_of[key] = (t.toordinal(), t.weekday(), t.hour)
        per_cell[(p.camera_id, c[1], c[2])] += 1
        days[p.camera_id].add(c[0])
        all_days.add(c[0])
    total = len(points)
    at_hour: Counter[tuple[int, int]] = Counter()
    heat = [[0] * 24 for _ in range(7)]
    grids: dict[int, list[list[int]]] = defaultdict(lambda: [[0] * 24 for _ in range(7)])
    for (cam, wd, hr), n in per_cell.items():
        at_hour[(wd, hr)] += n
        heat[wd][hr] += n
        grids[cam][wd][hr] += n
    places = []
    for cam, grid in grids.items():
        n = sum(map(sum, grid))
        name, where = cameras.get(cam, (f"camera {cam}", ""))
        busiest = max(((wd, hr, grid[wd][hr]) for wd in range(7) for hr in range(24)),
                      key=lambda t: (t[2], -t[0], -t[1]))
        places.append(PlaceFigure(cam, name, where, n, len(days[cam]), n / total,
                                  tuple(tuple(r) for r in grid), busiest))
    places.sort(key=lambda p: (-p.sightings, -p.days, p.camera_name))
    cells = sorted(
        (TimeCell(cam, cameras.get(cam, (f"camera {cam}", ""))[0], wd, hr, n,
                  at_hour[(wd, hr)], n / at_hour[(wd, hr)])
         for (cam, wd, hr), n in per_cell.items()),
        key=lambda c: (-c.sightings, -c.likelihood, c.weekday, c.hour, c.camera_name))
    return LocateResult(plate, request, total, len(all_days), tuple(places),
                        tuple(cells[:TOP_CELLS]), tuple(tuple(r) for r in heat), tuple(rows),
                        truncated, log_seq)
