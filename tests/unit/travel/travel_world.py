"""Generated data with planted answers for co-travel, locate and the cloned-plate check:
a convoy of two cars among a crowd of commuters and neighbours, a plate with a home and a
workplace, a plate read at two far cameras minutes apart and a normal long drive."""

from __future__ import annotations

import random
from dataclasses import dataclass

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

# 2026-01-05 00:00 in Carson (a Monday) = 08:00 UTC
T0 = 1_767_600_000
MIN, HOUR, DAY = 60, 3600, 86_400
WINDOW = (T0, T0 + 28 * DAY)
TARGET, COMPANION = "7TGT001", "8CNV002"
COMMUTERS = [f"5CM{i:03d}" for i in range(30)]
NEIGHBOURS = [f"4NB{i:03d}" for i in range(10)]
TRIP_DAYS = (0, 3, 7, 10, 14, 19)  # the target's trips (weekdays), 08:00 local
LOCATE = "7LOC005"
CLONED, DRIVE = "6CLN003", "6DRV004"
CLONE_T = T0 + 2 * DAY + 13 * HOUR
PALMDALE = (34.5794, -118.1165)  # about 84 km north of Carson


@dataclass
class Planted:
    cams: dict[str, int]
    companion_ids: list[int]
    target_ids: list[int]
    cloned_ids: list[int]
    drive_ids: list[int]


def _cams(store: Store) -> dict[str, int]:
    repo = CameraRepo(store)
    spots = {
        "A Avalon & Carson": (33.8317, -118.2620), "B Avalon & 223rd": (33.8240, -118.2630),
        "C Main & Victoria": (33.8660, -118.2750), "D Figueroa & 190th": (33.8580, -118.2830),
        "H Home street": (33.8450, -118.2400), "W Work lot": (33.8150, -118.2200),
        "N Near A (300 m)": (33.8344, -118.2620), "P Palmdale Blvd": PALMDALE,
    }
    return {k: repo.add(Camera(None, k, "generated", lat, lon)) for k, (lat, lon) in
            spots.items()}


def plant(store: Store, seed: int = 19) -> Planted:
    rnd = random.Random(seed)
    cams = _cams(store)
    a, b, c = cams["A Avalon & Carson"], cams["B Avalon & 223rd"], cams["C Main & Victoria"]
    new: list[NewRead] = []
    tags: list[str] = []

    def add(plate: str, t: int, cam: int, tag: str = "", **kw: object) -> None:
        new.append(NewRead(plate, t, cam, state="CA", **kw))  # type: ignore[arg-type]
        tags.append(tag)

    # the target's trips and its companion, 30 s behind, at A, B and C
    for d in TRIP_DAYS:
        start = T0 + d * DAY + 8 * HOUR
        for cam, off in ((a, 0), (b, 4 * MIN), (c, 9 * MIN)):
            add(TARGET, start + off, cam, "target")
            add(COMPANION, start + off + 30, cam, "companion")
    # commuters: A then B around 08:00 every weekday (the target's road and hour)
    for plate in COMMUTERS:
        for d in range(28):
            if (d % 7) >= 5:
                continue
            t = T0 + d * DAY + 8 * HOUR + rnd.randint(-90, 90)
            add(plate, t, a)
            add(plate, t + 4 * MIN + rnd.randint(-30, 30), b)
    # neighbours: at C at all hours, and now and then at A
    for plate in NEIGHBOURS:
        for d in range(28):
            add(plate, T0 + d * DAY + rnd.randint(0, DAY - 1), c)
            if d % 4 == 0:
                add(plate, T0 + d * DAY + rnd.randint(0, DAY - 1), a)
    # noise
    for i in range(300):
        add(f"9RN{i:04d}", T0 + rnd.randint(0, 28 * DAY), rnd.choice(list(cams.values())))
    # locate: home at 18:xx every day for 35 days, work at 08:xx on weekdays for 4 weeks,
    # a few elsewhere
    h, w = cams["H Home street"], cams["W Work lot"]
    for d in range(-7, 28):
        add(LOCATE, T0 + d * DAY + 18 * HOUR + rnd.randint(0, 59 * MIN), h)
        if d >= 0 and (d % 7) < 5:
            add(LOCATE, T0 + d * DAY + 8 * HOUR + rnd.randint(0, 59 * MIN), w)
    for _ in range(40):
        elsewhere = [a, b, c, cams["D Figueroa & 190th"]]
        add(LOCATE, T0 + rnd.randint(0, 28 * DAY), rnd.choice(elsewhere))
    # cloned: Carson then Palmdale ten minutes later; the drive takes 80 minutes
    p = cams["P Palmdale Blvd"]
    add(CLONED, CLONE_T, a, "cloned")
    add(CLONED, CLONE_T + 10 * MIN, p, "cloned")
    add(DRIVE, CLONE_T, a, "drive")
    add(DRIVE, CLONE_T + 80 * MIN, p, "drive")
    # two neighbouring cameras 300 m apart, 5 s apart: not a clone
    add("6NBR006", CLONE_T + HOUR, a)
    add("6NBR006", CLONE_T + HOUR + 5, cams["N Near A (300 m)"])
    # a mobile reader's own position wins: read "at" A's camera id, but 84 km away
    add("6MOB007", CLONE_T + 2 * HOUR, a, "mobile")
    add("6MOB007", CLONE_T + 2 * HOUR + 5 * MIN, a, "mobile", latitude=PALMDALE[0],
        longitude=PALMDALE[1])
    with store.transaction():
        ids = ReadRepo(store).insert_many(new)
    pick = lambda tag: [i for i, t in zip(ids, tags, strict=True) if t == tag]  # noqa: E731
    return Planted(cams, pick("companion"), pick("target"), pick("cloned"), pick("drive"))
