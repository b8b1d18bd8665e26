"""The recent reads' postings (storage/read_grams.py): a walk of a run's postings gives
exactly the posted entries newest first after any position, whatever the days hold; the
build is resumable; runs are the plate's three-character stretches."""

from __future__ import annotations

import random

import pytest

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_grams import DAY, ReadGrams, grams_of, pattern_grams
from alpr_desktop.storage.reads import CameraRepo

T0 = 1_767_225_600


def _fill(store: Store, n: int = 1_500, seed: int = 3) -> None:
    cam = CameraRepo(store).add(Camera(None, "CAM-1", "Avalon Blvd"))
    rng = random.Random(seed)
    plates = ["7AB1234", "7AB1299", "8AB1200", "AB12", "9XY0001", "5AB9AB1"]
    reads = []
    for _ in range(n):
        # Days with many reads, days with one, days with none (a gap of 5 days).
        day = rng.choice([1, 1, 1, 2, 3, 3, 9, 10, 11, 12, 20, 25, 30])
        reads.append(NewRead(rng.choice(plates), T0 - day * DAY + rng.randrange(DAY), cam))
    store.reads.insert_many(reads)


def _expected(store: Store, gram: str, floor: int, until: int | None,
              after: tuple[int, int] | None, limit: int) -> list[tuple[int, int, int]]:
    rows = store.query(
        "SELECT r.recorded_at, r.id, r.plate_id FROM reads r JOIN plates p ON p.id = r.plate_id "
        "WHERE r.recorded_at >= ? AND instr(p.plate_norm, ?) > 0", (floor, gram))
    out = sorted(((int(a), int(b), int(c)) for a, b, c in rows), reverse=True)
    if until is not None:
        out = [r for r in out if r[0] <= until]
    if after is not None:
        out = [r for r in out if (r[0], r[1]) < after]
    return out[:limit]


def test_a_walk_of_a_runs_postings_is_exactly_its_reads_newest_first(store: Store) -> None:
    _fill(store)
    grams = ReadGrams(store)
    grams.run(give_way=0, now=T0)
    floor = grams.ready()
    assert floor is not None
    rng = random.Random(9)
    times = [int(r[0]) for r in store.query("SELECT recorded_at FROM reads")]
    for gram in ("7AB", "AB1", "B12", "200", "XY0", "ZZZ"):
        for limit in (1, 3, 17, 100, 5_000):
            for _ in range(6):
                after = None
                if rng.random() < 0.7:
                    t = rng.choice(times)
                    after = (t, rng.choice([0, 10**9, rng.randrange(1, 2_000)]))
                until = rng.choice([None, T0 - 10 * DAY, T0 - 2 * DAY + 5])
                got = [(p.recorded_at, p.read_id, p.plate_id)
                       for p in grams.postings(gram, floor, until, after, limit)]
                assert got == _expected(store, gram, floor, until, after, limit), \
                    (gram, limit, after, until)


def test_the_first_build_resumes_where_it_stopped(store: Store) -> None:
    _fill(store)
    grams = ReadGrams(store)
    assert grams.step(now=T0, batch=100) > 0  # started: floor set, first batch posted
    assert grams.state().building_at is not None and grams.ready() is None
    for _ in range(3):
        grams.step(now=T0, batch=100)
    half = store.scalar("SELECT count(*) FROM read_grams")
    grams.run(give_way=0, now=T0)
    assert grams.ready() is not None
    assert store.scalar("SELECT count(*) FROM read_grams") > half
    floor = grams.state().floor
    want = {(g, at, rid) for rid, at, plate in store.query(
        "SELECT r.id, r.recorded_at, p.plate_norm FROM reads r JOIN plates p "
        "ON p.id = r.plate_id WHERE r.recorded_at >= ?", (floor,)) for g in grams_of(plate)}
    assert set(store.query("SELECT gram, recorded_at, read_id FROM read_grams")) == want


def test_an_empty_store_has_nothing_to_post(store: Store) -> None:
    grams = ReadGrams(store)
    assert grams.pending() == 0
    assert grams.run(give_way=0) == 0
    assert grams.ready() is None


@pytest.mark.parametrize(("glob", "want"), [
    ("7AB*", ["7AB"]), ("*B12*", ["B12"]), ("*B12C*", ["B12", "12C"]), ("7A?C12*", ["C12"]),
    ("7A*", []), ("AB1AB1", ["AB1", "B1A", "1AB"]),
])
def test_a_patterns_runs_are_those_of_its_literal_stretches(glob: str, want: list[str]) -> None:
    assert pattern_grams(glob) == want


def test_a_build_counts_the_reads_it_posted(store: Store) -> None:
    """Progress counts reads: a build of exactly two batches is two batches and a closing
    step of one (not a third batch's worth)."""
    cam = CameraRepo(store).add(Camera(None, "CAM-2", "Main St"))
    store.reads.insert_many([NewRead("7AB1234", T0 - DAY + i, cam) for i in range(200)])
    grams = ReadGrams(store)
    steps = [grams.step(now=T0, batch=100) for _ in range(3)]
    assert steps == [100, 100, 1]
    assert grams.ready() is not None
    assert grams.step(now=T0, batch=100) == 0
