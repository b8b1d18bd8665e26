"""Generated reads for the health-signal tests: a few cameras with a daily traffic pattern
(Poisson per hour, seeded), and helpers that plant one fault each."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

HOUR = 3600
DAY = 24 * HOUR
# Reads per hour by hour of the day: quiet at night, busy in the day.
PATTERN = [4, 3, 3, 3, 4, 8, 16, 28, 34, 30, 28, 28, 30, 30, 30, 32, 36, 38, 30, 22, 16,
           12, 8, 6]
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method: fine for the small rates here
    import math

    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class Traffic:
    """Reads of ``cameras`` cameras over ``days`` days ending at ``until`` (UTC seconds)."""

    until: int
    days: int = 10
    cameras: int = 4
    seed: int = 7
    reads: list[NewRead] = field(default_factory=list)
    camera_ids: list[int] = field(default_factory=list)

    def build(self, store: Store, plant: object = None) -> None:
        repo = CameraRepo(store)
        self.camera_ids = [repo.add(Camera(None, f"Cam {i + 1}", "Carson"))
                           for i in range(self.cameras)]
        rng = random.Random(self.seed)
        start = self.until - self.days * DAY
        for cam in self.camera_ids:
            for h in range(start // HOUR, self.until // HOUR):
                for _ in range(_poisson(rng, PATTERN[h % 24])):
                    t = h * HOUR + rng.randrange(HOUR)
                    if t >= self.until:
                        continue
                    plate = f"{rng.randrange(1, 9)}{''.join(rng.choices(LETTERS, k=3))}" \
                            f"{rng.randrange(100, 999)}"
                    self.reads.append(NewRead(plate, t, cam, confidence=rng.uniform(0.75, 0.99)))
        if callable(plant):
            plant(self)
        ReadRepo(store).insert_many(self.reads)

    # -- faults ----------------------------------------------------------------------------------
    def silence(self, cam: int, a: int, b: int) -> None:
        self.reads = [r for r in self.reads if not (r.camera_id == cam and a <= r.recorded_at < b)]

    def thin(self, cam: int, a: int, b: int, keep: float) -> None:
        rng = random.Random(3)
        self.reads = [r for r in self.reads if not (r.camera_id == cam and a <= r.recorded_at < b
                                                    and rng.random() > keep)]

    def future(self, cam: int, n: int, after: int) -> None:
        self.reads += [NewRead(f"5FUT{i:03d}", after + 600 + i * 60, cam, confidence=0.9)
                       for i in range(n)]

    def stuck(self, cam: int, a: int, b: int) -> None:
        self.reads = [NewRead(r.plate, a, r.camera_id, confidence=r.confidence)
                      if r.camera_id == cam and a <= r.recorded_at < b else r for r in self.reads]

    def unreadable(self, cam: int, a: int, b: int) -> None:
        self.reads = [NewRead(r.plate, r.recorded_at, r.camera_id, confidence=0.2)
                      if r.camera_id == cam and a <= r.recorded_at < b else r for r in self.reads]
