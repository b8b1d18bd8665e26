"""What the demo store will hold: every read's plate, place, time and vehicle, decided up front.

The plan is pure Python driven by one ``random.Random(seed)``, so the same seed gives the same
reads on any machine and with any number of render workers. Images are rendered afterwards from
each read's index (render.py), never from shared RNG state.

Traffic model: a few commuters (about 2-3 % of distinct plates) pass the same cameras most
weekdays and make up about 45 % of reads; occasional visitors are seen a few times; the rest
pass once. Times follow an hourly profile with morning and evening rush peaks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.daylight import is_dark
from alpr_desktop.demo.plates import Plate, misread, random_plate
from alpr_desktop.demo.vehicles import Vehicle, random_vehicle

# Reads end at midnight starting 2026-11-27 in Carson: a fixed instant rather than the wall
# clock, so a seed always gives the same store. Callers may pass another end.
DEMO_END_UTC = 1_795_766_400
WINDOW_DAYS = 60

COMMUTER_SHARE = 0.45  # of reads
OCCASIONAL_SHARE = 0.22
MISREAD_RATE_DAY = 0.03
MISREAD_RATE_NIGHT = 0.06
ALTERNATE_RATE = 0.10  # correct reads that still carry a look-alike alternate

# Relative traffic per local hour 0..23: quiet nights, peaks at 7-8 and 16-18.
HOURLY = (
    2.0, 1.4, 1.0, 1.0, 1.5, 3.0, 5.5, 9.0, 9.5, 7.0, 6.0, 6.0,
    6.5, 6.5, 6.5, 7.5, 9.0, 9.5, 9.0, 7.5, 6.0, 5.0, 4.0, 3.0,
)
_CAMERA_WEIGHTS = tuple(c.weight for c in CAMERAS)


@dataclass(frozen=True)
class PlannedRead:
    index: int  # position in time order; with the seed it also seeds the images
    plate: str  # as read by the camera (may be a misread)
    true_plate: str  # what the plate really says, and what the images show
    state: str
    commercial: bool
    camera: int  # index into CAMERAS
    recorded_at: int  # UTC seconds
    direction: str
    vehicle: Vehicle
    speed: float  # mph
    confidence: float
    candidates: tuple[tuple[str, float], ...]
    night: bool
    kind: str  # 'commuter', 'occasional' or 'once'


@dataclass(frozen=True)
class _Visitor:
    plate: Plate
    vehicle: Vehicle
    kind: str


def _camera(rng: random.Random) -> int:
    return rng.choices(range(len(CAMERAS)), weights=_CAMERA_WEIGHTS)[0]


def _utc(day: date, hours: float) -> int:
    secs = max(0, min(int(hours * 3600), 86_399))
    local = datetime.combine(day, time(secs // 3600, secs % 3600 // 60, secs % 60),
                             tzinfo=SITE_ZONE)
    return int(local.timestamp())


def _random_hours(rng: random.Random) -> float:
    return rng.choices(range(24), weights=HOURLY)[0] + rng.random()


def _new_visitor(rng: random.Random, kind: str, used: set[str]) -> _Visitor:
    while True:
        plate = random_plate(rng)
        if plate.text not in used:
            used.add(plate.text)
            break
    if kind == "commuter" and plate.commercial and rng.random() < 0.5:
        plate = Plate(plate.text, plate.state, False)  # commuters mostly drive their own car
    return _Visitor(plate, random_vehicle(rng, plate.commercial), kind)


def _commuter_trips(rng: random.Random, days: list[date], quota: int) -> list[tuple[int, int]]:
    """(recorded_at, camera) pairs of one commuter: out in the morning, home in the evening."""
    home, work = _camera(rng), _camera(rng)
    while work == home and len(CAMERAS) > 1:
        work = _camera(rng)
    morning = min(max(rng.gauss(7.4, 0.7), 5.0), 9.8)
    evening = min(max(morning + rng.gauss(9.2, 0.8), 14.0), 20.5)
    trips: list[tuple[int, int]] = []
    for day in days:
        weekend = day.weekday() >= 5
        if rng.random() < (0.12 if weekend else 0.9):
            trips.append((_utc(day, morning + rng.gauss(0, 0.3)), home))
        if rng.random() < (0.10 if weekend else 0.8):
            trips.append((_utc(day, evening + rng.gauss(0, 0.5)), work))
    if len(trips) > quota:
        keep = sorted(rng.sample(range(len(trips)), quota))
        trips = [trips[i] for i in keep]
    return trips


def _events(
    rng: random.Random, n: int, days: list[date]
) -> list[tuple[int, int, int, _Visitor]]:
    """(recorded_at, camera, visitor number, visitor) for n reads."""
    used: set[str] = set()
    events: list[tuple[int, int, int, _Visitor]] = []
    budget = {"commuter": round(n * COMMUTER_SHARE), "occasional": round(n * OCCASIONAL_SHARE)}
    visitors = 0
    while budget["commuter"] > 0:
        v = _new_visitor(rng, "commuter", used)
        trips = _commuter_trips(rng, days, min(rng.randint(25, 70), budget["commuter"]))
        budget["commuter"] -= len(trips)
        events += [(ts, cam, visitors, v) for ts, cam in trips]
        visitors += 1
    while budget["occasional"] > 0:
        v = _new_visitor(rng, "occasional", used)
        home = _camera(rng)
        for _ in range(min(rng.randint(2, 6), budget["occasional"])):
            cam = home if rng.random() < 0.5 else _camera(rng)
            events.append((_utc(rng.choice(days), _random_hours(rng)), cam, visitors, v))
            budget["occasional"] -= 1
        visitors += 1
    while len(events) < n:
        v = _new_visitor(rng, "once", used)
        events.append((_utc(rng.choice(days), _random_hours(rng)), _camera(rng), visitors, v))
        visitors += 1
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return events[:n]


def _speed(rng: random.Random, limit: int, local_hour: int, weekday: bool, night: bool) -> float:
    rush = weekday and (7 <= local_hour < 9 or 16 <= local_hour < 19)
    mean = limit * 0.65 if rush else limit + (5 if night else 2)
    return round(min(max(rng.gauss(mean, 6.0), 3.0), limit + 35.0), 1)


def plan_reads(n: int, seed: int, end_utc: int = DEMO_END_UTC) -> list[PlannedRead]:
    """The n reads of the demo for this seed, in time order."""
    if n < 0:
        raise ValueError("the number of reads cannot be negative")
    rng = random.Random(seed)
    last_day = datetime.fromtimestamp(end_utc - 1, tz=SITE_ZONE).date()
    days = [last_day - timedelta(days=WINDOW_DAYS - 1 - i) for i in range(WINDOW_DAYS)]
    out: list[PlannedRead] = []
    for index, (ts, cam, _, v) in enumerate(_events(rng, n, days)):
        site = CAMERAS[cam]
        local = datetime.fromtimestamp(ts, tz=SITE_ZONE)
        night = is_dark(ts)
        truth = v.plate.text
        read_as = truth
        cands: tuple[tuple[str, float], ...] = ()
        bad = rng.random() < (MISREAD_RATE_NIGHT if night else MISREAD_RATE_DAY)
        wrong = misread(truth, rng) if bad else None
        if wrong is not None:
            read_as = wrong
            conf = round(rng.uniform(0.55, 0.82), 3)
            cands = ((truth, round(conf * rng.uniform(0.75, 0.97), 3)),)
        else:
            conf = round(rng.uniform(0.86, 0.995) - (0.05 if night else 0.0), 3)
            alt = misread(truth, rng) if rng.random() < ALTERNATE_RATE else None
            if alt is not None:
                cands = ((alt, round(conf * rng.uniform(0.3, 0.7), 3)),)
        out.append(PlannedRead(
            index=index, plate=read_as, true_plate=truth, state=v.plate.state,
            commercial=v.plate.commercial, camera=cam, recorded_at=ts, direction=site.heading,
            vehicle=v.vehicle,
            speed=_speed(rng, site.speed_limit, local.hour, local.weekday() < 5, night),
            confidence=conf, candidates=cands, night=night, kind=v.kind,
        ))
    return out
