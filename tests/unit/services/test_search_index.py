"""Issue 20: the search upkeep (services/search_index.py) brings the recent reads' trigram
postings up to date after imports: it catches up with new reads, a cancel leaves a state the
next run finishes exactly as one uninterrupted run would, its progress never goes back, and a
busy store postpones it without an error while other storage failures are one sentence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.services.search_index import (
    IndexUpkeep,
    SearchIndexFailed,
    SearchIndexService,
)
from alpr_desktop.storage import Store, StoreBusy, StoreCorrupt, StoreError
from alpr_desktop.storage.read_grams import ReadGrams

DAY = 86_400
NOW = 1_767_225_600  # FixedClock: 2026-01-01T00:00:00Z
SMALL_BATCH = 7  # reads per step here, so that a run takes many steps


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps of SMALL_BATCH reads (ReadGrams.run steps with its default batch)."""
    step = ReadGrams.step

    def small(self: ReadGrams, now: float | None = None, batch: int = SMALL_BATCH) -> int:
        return step(self, now, batch)

    monkeypatch.setattr(ReadGrams, "step", small)


@pytest.fixture
def camera(store: Store) -> int:
    return store.cameras.add(Camera(None, "Avalon & 223rd NB", "Carson"))


def add_reads(store: Store, camera: int, n: int, *, newest: int = NOW - DAY,
              start: int = 0) -> list[int]:
    """``n`` reads of different plates, an hour apart, the last at ``newest``."""
    return store.reads.insert_many([
        NewRead(f"7AB{(start + i) % 1000:03d}{chr(65 + (start + i) % 26)}",
                newest - (n - 1 - i) * 3600, camera) for i in range(n)])


def postings(store: Store) -> set[tuple[Any, ...]]:
    return set(store.query("SELECT gram, recorded_at, read_id, plate_id FROM read_grams"))


def expected(store: Store) -> set[tuple[Any, ...]]:
    """The postings an uninterrupted build gives: every run of every read from the floor."""
    floor = store.read_grams.ready()
    assert floor is not None
    rows = store.query("SELECT p.plate_norm, r.recorded_at, r.id, r.plate_id FROM reads r "
                       "JOIN plates p ON p.id = r.plate_id WHERE r.recorded_at >= ?", (floor,))
    return {(plate[i:i + 3], at, rid, pid) for plate, at, rid, pid in rows
            for i in range(len(plate) - 2)}


def service(store: Store, clock: FixedClock) -> SearchIndexService:
    return SearchIndexService(store, clock)


def test_a_run_builds_the_postings_and_writes_no_log_entry(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
) -> None:
    add_reads(store, camera, 40)
    add_reads(store, camera, 5, newest=NOW - 90 * DAY, start=100)  # below the window
    svc = service(store, clock)
    entries = store.scalar("SELECT count(*) FROM access_log")
    assert not svc.ready() and svc.pending() == 40

    done = svc.catch_up()

    assert done == IndexUpkeep(handled=40, ready=True)
    assert svc.ready() and svc.pending() == 0
    assert postings(store) == expected(store) and len(postings(store)) == 40 * 5
    assert store.scalar("SELECT count(*) FROM access_log") == entries  # derives, shows nothing
    assert service(store, clock).catch_up() == IndexUpkeep(handled=0, ready=True)


def test_it_catches_up_after_new_reads(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
) -> None:
    add_reads(store, camera, 20)
    svc = service(store, clock)
    assert svc.catch_up().ready
    new = add_reads(store, camera, 12, newest=NOW - DAY // 2, start=500)
    assert not svc.ready() and svc.pending() == 12

    done = svc.catch_up()

    assert done.ready and done.handled == 12
    assert postings(store) == expected(store)
    assert {rid for _g, _at, rid, _p in postings(store)} >= set(new)


def test_a_cancelled_run_is_finished_by_the_next(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
) -> None:
    add_reads(store, camera, 40)
    svc = service(store, clock)
    steps: list[int] = []

    done = svc.catch_up(progress=lambda n, _t: steps.append(n) is None,
                        cancel=lambda: len(steps) >= 2)

    assert done.stopped and not done.ready and done.handled == 2 * SMALL_BATCH
    assert not svc.ready() and store.read_grams.state().building_at is not None
    assert 0 < len(postings(store)) < 40 * 5  # the two committed steps are kept
    assert svc.pending() == 40 - 2 * SMALL_BATCH

    again = svc.catch_up()

    assert again.ready and again.handled == 40 - 2 * SMALL_BATCH
    assert postings(store) == expected(store)


def test_progress_returning_false_stops_the_run(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
) -> None:
    add_reads(store, camera, 30)
    done = service(store, clock).catch_up(progress=lambda _n, _t: False)
    assert done.stopped and done.handled == SMALL_BATCH and not done.ready


def test_progress_never_goes_back(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
) -> None:
    """A run that posts new reads, then raises the window a few days and sweeps below it,
    handles more than the reads it counted at the start: the share done stays at most 1 and
    never falls."""
    add_reads(store, camera, 30, newest=NOW - 10 * DAY)
    svc = service(store, clock)
    assert svc.catch_up().ready
    add_reads(store, camera, 10, newest=NOW - DAY, start=700)  # the window moves up 9 days
    seen: list[tuple[int, int]] = []

    done = svc.catch_up(progress=lambda n, t: seen.append((n, t)) is None)

    assert done.ready and len(seen) >= 3
    assert seen[-1][0] > 10  # the sweep counted too: more than the 10 reads counted at start
    shares = [n / t for n, t in seen]
    assert all(0 < s <= 1 for s in shares)
    assert [n for n, _t in seen] == sorted(n for n, _t in seen)
    assert shares == sorted(shares)
    assert postings(store) == expected(store)  # below the raised floor: swept


def test_a_count_the_caller_made_is_not_made_again(
    store: Store, clock: FixedClock, camera: int, small_steps: None,
    pending_counts: list[int],
) -> None:
    """Before the first build ``pending()`` walks the window (about a second at 100M reads):
    the command line counts once to decide what to say, and the run uses that count."""
    add_reads(store, camera, 30)
    svc = service(store, clock)
    left = svc.pending()
    seen: list[tuple[int, int]] = []
    done = svc.catch_up(progress=lambda n, t: seen.append((n, t)) is None, pending=left)
    assert done == IndexUpkeep(handled=30, ready=True)
    assert pending_counts == [1]  # the caller's own count only
    assert seen[0][1] == left == 30
    assert postings(store) == expected(store)


def _hold_the_write_lock(store: Store) -> Iterator[Store]:
    other = store.reopen()
    other.conn.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.conn.execute("ROLLBACK")
        other.close()


def test_a_busy_store_postpones_the_run_without_an_error(
    store: Store, clock: FixedClock, camera: int,
) -> None:
    add_reads(store, camera, 10)
    store.conn.execute("PRAGMA busy_timeout = 50")  # another writer holds the lock meanwhile
    svc = service(store, clock)
    holder = _hold_the_write_lock(store)
    next(holder)

    done = svc.catch_up()

    assert not done.ready and not done.stopped and done.handled == 0
    assert "busy" in done.busy and StoreBusy.advice in done.busy
    holder.close()  # the other writer is done: the next run goes through
    assert svc.catch_up() == IndexUpkeep(handled=10, ready=True)


def _raising(exc: Exception) -> Callable[..., int]:
    def run(*_a: object, **_k: object) -> int:
        raise exc
    return run


def test_another_storage_failure_is_one_sentence_with_advice(
    store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    damaged = StoreCorrupt("The store file is damaged and cannot be read.")
    monkeypatch.setattr(ReadGrams, "run", _raising(damaged))
    with pytest.raises(SearchIndexFailed) as failed:
        service(store, clock).catch_up()
    text = str(failed.value)
    assert "imported reads are kept" in text and "damaged" in text
    assert failed.value.advice == StoreCorrupt.advice and failed.value.cause is damaged
    monkeypatch.setattr(ReadGrams, "ready", _raising(damaged))
    with pytest.raises(SearchIndexFailed):
        service(store, clock).ready()


def test_a_step_interrupted_by_the_canceller_reads_as_stopped(
    store: Store, clock: FixedClock, camera: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The GUI stops a run by its token and an interrupt of the step in hand: that step's
    error (interrupted) is the stop, not a failure."""
    add_reads(store, camera, 10)
    asked = [False]

    def interrupted(self: ReadGrams, now: float | None = None, batch: int = 1) -> int:
        asked[0] = True  # the canceller sets its flag, then interrupts the statement
        raise StoreError("Storage error: interrupted")

    monkeypatch.setattr(ReadGrams, "step", interrupted)
    done = service(store, clock).catch_up(cancel=lambda: asked[0])
    assert done.stopped and not done.ready
    asked[0] = False
    with pytest.raises(SearchIndexFailed):  # the same error uncalled for is a failure
        service(store, clock).catch_up(cancel=lambda: False)
