"""Generated data with planted answers for the location search and common plates: four placed
cameras (three scenes and one far away), a crowd of random plates over five days, a commuter
who passes every scene every hour, a bus seen at two scenes, mobile-reader reads placed by their
own position, and the suspect: one read at each of the three scenes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z: the world's clock
HOUR = 3600
DAY = 86_400
DAY0 = T0 - 6 * DAY  # 2025-12-26 UTC, inside the purpose's own 30 days
SCENES = (("Avalon & Carson NB", 33.8317, -118.2620), ("Figueroa & 223rd SB", 33.8240, -118.2820),
          ("Main & Victoria EB", 33.8700, -118.2750))
FAR = ("Harbor Gateway far", 33.7600, -118.3000)
SUSPECT = "6COM777"
COMMUTER = "5HRL100"
BUS = "1BUS200"


@dataclass
class Planted:
    cams: list[int]  # the three scenes, then the far camera
    scene_times: list[int]  # when the suspect passed each scene
    mobile_in_id: int  # a read at the far camera whose own position is at scene 2
    mobile_out_id: int  # a read at scene 2's camera whose own position is far away


def plant(store: Store, crowd: int = 300, seed: int = 19) -> Planted:
    rng = random.Random(seed)
    repo = CameraRepo(store)
    cams = [repo.add(Camera(None, n, "Carson", lat, lon)) for n, lat, lon in (*SCENES, FAR)]
    new: list[NewRead] = []
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    plates = [f"{rng.randint(2, 9)}{''.join(rng.choice(letters) for _ in range(3))}"
              f"{rng.randint(100, 999)}" for _ in range(crowd)]
    for plate in plates:  # each crowd car passes one random camera once or twice
        for _ in range(rng.randint(1, 2)):
            new.append(NewRead(plate, DAY0 + rng.randint(0, 5 * DAY), rng.choice(cams),
                               state="CA", make="Toyota", color="Gray"))
    for day in range(3):  # the commuter: every scene, every hour 08-17, three days
        for h in range(8, 18):
            for i in range(3):
                new.append(NewRead(COMMUTER, DAY0 + day * DAY + h * HOUR + i * 60, cams[i],
                                   make="Honda", color="Blue"))
    for i in (0, 1):  # the bus: scenes 1 and 2, every two hours on day 0
        for h in range(6, 22, 2):
            new.append(NewRead(BUS, DAY0 + h * HOUR + i * 300, cams[i], make="Gillig"))
    # The suspect: scene 1 on day 0 at 10:15, scene 2 on day 1 at 14:30, scene 3 on day 2 at
    # 21:05 (UTC), and once at scene 1 at 13:00 on day 0 (outside the stakeout's windows).
    scene_times = [DAY0 + 10 * HOUR + 15 * 60, DAY0 + DAY + 14 * HOUR + 30 * 60,
                   DAY0 + 2 * DAY + 21 * HOUR + 5 * 60]
    for i, t in enumerate(scene_times):
        new.append(NewRead(SUSPECT, t, cams[i], state="CA", make="Nissan", model="Altima",
                           color="Black", body_type="Sedan"))
    new.append(NewRead(SUSPECT, DAY0 + 11 * HOUR + 40 * 60, cams[0], state="CA", make="Nissan",
                       color="Black"))
    new.append(NewRead(SUSPECT, DAY0 + 13 * HOUR, cams[0], state="CA", make="Nissan"))
    ids = ReadRepo(store).insert_many(new)
    # Mobile readers: placed by their own position, not their camera's.
    mob = ReadRepo(store).insert_many([
        NewRead("3MOB111", DAY0 + DAY + 15 * HOUR, cams[3], latitude=33.8245,
                longitude=-118.2815),
        NewRead("3MOB999", DAY0 + DAY + 15 * HOUR, cams[1], latitude=33.7000,
                longitude=-118.4000),
    ])
    assert len(ids) == len(new)
    return Planted(cams, scene_times, mob[0], mob[1])
