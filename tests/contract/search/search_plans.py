"""Forcing the search planner's ways (issue 20): the plan constants that make every tier of
plates fetched and counted plate by plate, or by one walk of reads_time; and a store of
~1,500 reads where both ways have work to do. Shared by the tests that compare the ways."""

from __future__ import annotations

import random
from typing import Any

import pytest
from search_helpers import DAY, T0, Seeded

from alpr_desktop.core.models import NewRead
from alpr_desktop.storage import plate_search as search_mod

# Plan constants that force each way (a tier of one plate included).
BY_PLATE = {"MIN_BROAD_PLATES": 10**9}
BY_WALK = {"MIN_BROAD_PLATES": 1, "BROAD_READS": -1, "WALK_ENTRY_US": 0.0,
           "IN_SET_US": 0.0, "PAGE_READ_US": 0.0, "ROW_US": 0.0}
DEFAULTS = {n: getattr(search_mod, n) for n in set(BY_PLATE) | set(BY_WALK)}


def force(monkeypatch: pytest.MonkeyPatch, consts: dict[str, Any]) -> None:
    for name in set(BY_PLATE) | set(BY_WALK):
        monkeypatch.setattr(search_mod, name, DEFAULTS[name])
    for name, value in consts.items():
        monkeypatch.setattr(search_mod, name, value)


def bulk(seeded: Seeded) -> None:
    """~1,500 reads of 120 plates over 60 days, many sharing a second (the id breaks ties),
    with varied cameras, makes and colours, and alternates naming other plates of the set
    (so the fuzzy tiers exclude reads listed as candidates)."""
    rng = random.Random(20)
    plates = [f"7AB{i:04d}" for i in range(60)] + [f"7A{c}C12{i % 10}" for i, c in
                                                    enumerate("DEFGHJKLMNPRSTUVWXYZ" * 3)]
    cams = list(seeded.cams.values())
    reads = []
    for i in range(1500):
        p = plates[min(len(plates) - 1, int(len(plates) * rng.random() ** 1.7))]
        cand = ((rng.choice(plates), 0.4),) if rng.random() < 0.08 else ()
        if rng.random() < 0.03:
            cand = (("7ABC123", 0.3),)
        reads.append(NewRead(
            p, T0 - 60 * DAY + (i // 3) * 3400 + rng.randrange(2), cams[i % len(cams)],
            state="CA", make=rng.choice(["Honda", "Toyota", "Ford"]),
            color=rng.choice(["Silver", "Red", "White"]), speed=float(rng.randrange(20, 70)),
            confidence=round(rng.uniform(0.5, 1.0), 3), candidates=cand,
        ))
    seeded.world.store.reads.insert_many(reads)
