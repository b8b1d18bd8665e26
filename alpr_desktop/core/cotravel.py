"""Co-travel (issue 19): which plates were read at the same cameras as a plate, within a few
minutes of it, on several occasions at several cameras.

Pure Python over points the gated service fetched. A plate that is simply common at a camera
(a commuter, a neighbour, a delivery round) meets the target there by chance, so each meeting
is weighted like a TF-IDF term: ``log(1 + D / d)``, with D the days in the window and d the
days the other plate was read at that camera around that time of day (an hour either side).
A car that is there only when the target is scores high; one that is there every day scores
little. ``share`` is the part of the other plate's reads at those cameras that were beside the
target; below ``min_share`` the plate is "common at these cameras" and left out unless asked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from alpr_desktop.core.clock import SITE_ZONE, to_local
from alpr_desktop.core.patterns import Mode, PatternError, parse
from alpr_desktop.core.search import SearchInputError

DEFAULT_TOLERANCE_S = 120
MAX_TOLERANCE_S = 3600
DEFAULT_MIN_OCCASIONS = 2
DEFAULT_MIN_CAMERAS = 2
DEFAULT_MIN_SHARE = 0.5
MAX_WINDOW_DAYS = 366
MAX_TARGET_SIGHTINGS = 2000  # more: narrow the window
AROUND_S = 3600  # "around that time of day"
DAY_S = 86_400
WARNING = ("Co-travel finds plates read near this one, not people who know each other: "
           "neighbours, co-workers and commuters on the same road show up too. Check each "
           "plate's evidence rows and images before relying on it.")


@dataclass(frozen=True)
class Point:
    """One read as the analysis needs it: where (camera) and when."""

    read_id: int
    plate: str
    camera_id: int
    recorded_at: int  # UTC seconds


def whole_plate(text: str) -> str:
    """The normalized plate, or a SearchInputError when it is a pattern or not a plate."""
    try:
        p = parse(text, Mode.EXACT)
    except PatternError as exc:
        raise SearchInputError(str(exc)) from None
    if p.mode is not Mode.EXACT:
        raise SearchInputError("The analysis is of one whole plate, without * or ?.")
    return p.text


def check_window(since: int, until: int, max_days: int = MAX_WINDOW_DAYS) -> None:
    if isinstance(since, bool) or isinstance(until, bool) or not (
            isinstance(since, int) and isinstance(until, int)):
        raise SearchInputError("The time window needs a start and an end.")
    if until <= since:
        raise SearchInputError("The window's end must be after its start.")
    if until - since > max_days * DAY_S:
        raise SearchInputError(f"The window is at most {max_days} days long.")


@dataclass(frozen=True)
class CoTravelRequest:
    plate: str
    since: int  # UTC seconds
    until: int
    tolerance_s: int = DEFAULT_TOLERANCE_S
    min_occasions: int = DEFAULT_MIN_OCCASIONS  # n: distinct occasions beside the plate
    min_cameras: int = DEFAULT_MIN_CAMERAS  # m: at distinct cameras
    min_share: float = DEFAULT_MIN_SHARE
    include_common: bool = False  # also list plates common at these cameras (marked)

    def checked(self) -> str:
        """The normalized plate; SearchInputError says what is wrong (nothing is run)."""
        plate = whole_plate(self.plate)
        check_window(self.since, self.until)
        if not (isinstance(self.tolerance_s, int) and 1 <= self.tolerance_s <= MAX_TOLERANCE_S):
            raise SearchInputError("The time tolerance is 1 second to 60 minutes.")
        if not (isinstance(self.min_occasions, int) and 1 <= self.min_occasions <= 1000):
            raise SearchInputError("The number of occasions is 1 to 1,000.")
        if not (isinstance(self.min_cameras, int) and 1 <= self.min_cameras <= 1000):
            raise SearchInputError("The number of cameras is 1 to 1,000.")
        share = float(self.min_share)
        if not (0.0 <= share <= 1.0):
            raise SearchInputError("The share beside the plate is 0 to 100 %.")
        return plate

    def as_log_dict(self) -> dict[str, Any]:
        return {"analysis": "cotravel", "pattern": str(self.plate)[:64], "mode": "exact",
                "since": self.since, "until": self.until, "tolerance_s": self.tolerance_s,
                "min_occasions": self.min_occasions, "min_cameras": self.min_cameras,
                "min_share": self.min_share, "include_common": self.include_common}


@dataclass(frozen=True)
class Meeting:
    """One occasion: the target's read and the other plate's read at the same camera."""

    target_read_id: int
    other_read_id: int
    camera_id: int
    seconds_apart: int  # other minus target
    weight: float


@dataclass(frozen=True)
class CoTraveller:
    plate: str
    occasions: int  # distinct target sightings it was beside
    cameras: int  # distinct cameras of those
    score: float
    share: float  # of its reads at those cameras, the part beside the target
    reads_at_cameras: int  # the number behind ``share``
    common: bool  # share below the limit: common at these cameras
    meetings: tuple[Meeting, ...] = field(default=())

    @property
    def read_ids(self) -> tuple[int, ...]:
        ids: dict[int, None] = {}
        for m in self.meetings:
            ids[m.target_read_id] = None
            ids[m.other_read_id] = None
        return tuple(ids)


def occasions(target: Sequence[Point], tolerance_s: int) -> list[Point]:
    """The target's sightings with repeats merged (the same camera within the tolerance is
    one occasion: a camera that read the car twice is not two meetings)."""
    out: list[Point] = []
    last: dict[int, int] = {}
    for p in sorted(target, key=lambda p: (p.recorded_at, p.read_id)):
        t = last.get(p.camera_id)
        if t is not None and p.recorded_at - t <= tolerance_s:
            continue
        last[p.camera_id] = p.recorded_at
        out.append(p)
    return out


def beside(target: Sequence[Point], nearby: Sequence[Point], tolerance_s: int
           ) -> dict[str, list[tuple[Point, Point]]]:
    """Per other plate, its (target occasion, other read) pairs: same camera, within the
    tolerance. One pair per occasion and plate (the closest read)."""
    by_camera: dict[int, list[Point]] = defaultdict(list)
    plate = target[0].plate if target else ""
    for p in nearby:
        if p.plate != plate:
            by_camera[p.camera_id].append(p)
    pairs: dict[str, dict[int, tuple[Point, Point]]] = defaultdict(dict)
    for occ in occasions(target, tolerance_s):
        for p in by_camera.get(occ.camera_id, ()):
            gap = abs(p.recorded_at - occ.recorded_at)
            if gap > tolerance_s:
                continue
            have = pairs[p.plate].get(occ.read_id)
            if have is None or gap < abs(have[1].recorded_at - occ.recorded_at):
                pairs[p.plate][occ.read_id] = (occ, p)
    return {k: sorted(v.values(), key=lambda t: t[0].recorded_at) for k, v in pairs.items()}


def qualifying(pairs: Mapping[str, list[tuple[Point, Point]]], request: CoTravelRequest
               ) -> list[str]:
    """Plates beside the target on at least n occasions at at least m cameras."""
    return sorted(p for p, ps in pairs.items()
                  if len(ps) >= request.min_occasions
                  and len({o.camera_id for o, _ in ps}) >= request.min_cameras)


def _minute_of_day(t: int, zone: ZoneInfo) -> tuple[int, int]:
    local = to_local(t, zone)
    return local.toordinal(), local.hour * 60 + local.minute


def rank(pairs: Mapping[str, list[tuple[Point, Point]]], history: Mapping[str, Sequence[Point]],
         request: CoTravelRequest, zone: ZoneInfo = SITE_ZONE) -> list[CoTraveller]:
    """Score the qualifying plates (``history``: each one's reads in the window), best
    first, with the plates common at these cameras marked and last."""
    days = max(1, math.ceil((request.until - request.since) / DAY_S))
    out: list[CoTraveller] = []
    for plate in qualifying(pairs, request):
        ps = pairs[plate]
        cams = {o.camera_id for o, _ in ps}
        seen: dict[int, list[tuple[int, int]]] = defaultdict(list)  # camera -> (day, minute)
        reads_at = 0
        for h in history.get(plate, ()):
            if h.camera_id in cams:
                reads_at += 1
                seen[h.camera_id].append(_minute_of_day(h.recorded_at, zone))
        meetings = []
        for occ, other in ps:
            _, minute = _minute_of_day(occ.recorded_at, zone)
            d = len({day for day, m in seen[occ.camera_id]
                     if min(abs(m - minute), 1440 - abs(m - minute)) * 60 <= AROUND_S})
            weight = math.log1p(days / max(1, d))
            meetings.append(Meeting(occ.read_id, other.read_id, occ.camera_id,
                                    other.recorded_at - occ.recorded_at, weight))
        together = len({o.read_id for _, o in ps})
        share = together / max(together, reads_at)
        common = share < request.min_share
        out.append(CoTraveller(plate, len(ps), len(cams), round(sum(m.weight for m in meetings),
                                                                 3),
                               round(share, 3), max(together, reads_at), common,
                               tuple(meetings)))
    out.sort(key=lambda c: (c.common, -c.score, -c.occasions, c.plate))
    return out


@dataclass(frozen=True)
class CoTravelResult:
    plate: str
    request: CoTravelRequest
    target_sightings: int
    occasions: int  # the target's sightings with repeats at one camera merged
    candidates: int  # plates beside it at least once
    left_out_common: int  # qualifying plates left out as common at these cameras
    travellers: tuple[CoTraveller, ...]
    rows: tuple[Any, ...]  # SearchRow of every evidence read, oldest first
    log_seq: int = 0
