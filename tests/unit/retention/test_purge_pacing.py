"""The purge's pacing (issue 14: "never blocking a search for more than one short
transaction", and one day's expiry in seconds): no fixed pause between its transactions; it
gives way only when a writer of the same store actually waits, and that writer goes next."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from retention_helpers import add_reads, utc

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services import retention as retention_service
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store
from alpr_desktop.storage.write_turns import WriteTurns, turns_for

R = utc(2021, 3, 2, 8, 0, 0)


def test_no_pause_when_nobody_waits(store: Store, clock: FixedClock,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten transactions, nobody else writing: the purge never sleeps and never stands aside
    (main slept 0.1 s between every two, 145 s for one day of 100,000 reads with images)."""
    add_reads(store, [(f"NP{i:04d}K", R + i) for i in range(20)])
    clock.ms = deletion_time(R + 20) * 1000
    slept: list[float] = []
    monkeypatch.setattr(retention_service.time, "sleep", slept.append)
    given = store.turns.given_way
    result = RetentionService(store, clock).purge(batch=2)
    assert result.reads_deleted == 20
    assert slept == []
    assert store.turns.given_way == given


def test_a_waiting_search_gets_the_next_turn(store: Store, clock: FixedClock,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A search's log entry that starts waiting for the write lock while a purge batch holds
    it is written before the purge's next batch, and the purge stands aside exactly once."""
    add_reads(store, [(f"WT{i:04d}K", R + i) for i in range(6)])
    clock.ms = deletion_time(R + 6) * 1000
    svc = RetentionService(store, clock)
    events: list[str] = []
    errors: list[BaseException] = []
    inner = svc.repo.delete_reads

    def search() -> None:  # another connection of this process: a search's log append
        try:
            other = store.reopen()
            try:
                with other.transaction():
                    log_event(other, LogEvent("search", Outcome.OK, "analyst"), clock)
                    events.append("search")
            finally:
                other.close()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    searcher = threading.Thread(target=search)

    def delete_reads(ids: Any) -> Any:
        gone = inner(ids)
        events.append("batch")
        if len(events) == 1:  # inside the first batch's transaction: a search arrives
            searcher.start()
            store.turns.wait_until(lambda t: t.waiting() >= 2, 10)  # queued behind it
        return gone

    monkeypatch.setattr(svc.repo, "delete_reads", delete_reads)
    # Without the purge's checkpoint between batches (no write lock held there) the search
    # cannot slip in on its own busy timeout: it gets in only if the purge gives way.
    monkeypatch.setattr(svc.repo, "checkpoint_passive", lambda: None)
    given = store.turns.given_way
    result = svc.purge(batch=2, reclaim=False)
    searcher.join(10)
    assert errors == []
    assert result.reads_deleted == 6
    assert events == ["batch", "search", "batch", "batch"]
    assert store.turns.given_way == given + 1


def test_give_way_returns_at_once_when_nobody_writes() -> None:
    turns = WriteTurns()
    assert turns.give_way(60.0) is False
    assert turns.given_way == 0


def test_give_way_waits_for_the_writers_already_there_not_for_newcomers() -> None:
    """The purge stands aside until the writers waiting when it looked have finished; a
    writer arriving meanwhile does not keep it waiting (no starvation by a stream of
    searches)."""
    turns = WriteTurns()
    first_in, newcomer_in = threading.Event(), threading.Event()
    release_first, release_newcomer = threading.Event(), threading.Event()
    done: list[str] = []

    def first() -> None:
        with turns.writing():
            first_in.set()
            release_first.wait(10)
            done.append("first")

    def newcomer() -> None:  # arrives while the purge waits, and stays
        with turns.writing():
            newcomer_in.set()
            release_newcomer.wait(10)
            done.append("newcomer")

    t1 = threading.Thread(target=first)
    t1.start()
    first_in.wait(10)
    result: list[bool] = []

    def purge() -> None:
        result.append(turns.give_way(60.0))
        done.append("purge")

    tp = threading.Thread(target=purge)
    tp.start()
    turns.wait_until(lambda t: t.given_way == 1, 10)  # the purge is standing aside
    t2 = threading.Thread(target=newcomer)
    t2.start()
    newcomer_in.wait(10)
    assert done == []  # the purge still waits for the first writer
    release_first.set()
    tp.join(10)
    assert done == ["first", "purge"]  # not kept waiting by the newcomer
    assert result == [True]
    release_newcomer.set()
    for t in (t1, t2):
        t.join(10)
    assert turns.waiting() == 0


def test_every_connection_of_a_store_shares_its_turns(store: Store) -> None:
    other = store.reopen()
    try:
        assert other.turns is store.turns is turns_for(store.path)
        with other.transaction():
            assert store.turns.waiting() == 1
        assert store.turns.waiting() == 0
    finally:
        other.close()


def test_the_scheduled_command_leaves_a_gap_for_other_processes(
        store: Store, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command purges while the program may be open in another process, whose writers
    this process cannot see: it sleeps SCHEDULED_GAP_S between its transactions (none before
    the first), where the program's own purge goes straight on."""
    add_reads(store, [(f"GP{i:04d}K", R + i) for i in range(10)])
    clock.ms = deletion_time(R + 10) * 1000
    slept: list[float] = []
    monkeypatch.setattr(retention_service.time, "sleep", slept.append)
    result = RetentionService(store, clock).purge(
        batch=2, gap_s=retention_service.SCHEDULED_GAP_S)
    assert result.reads_deleted == 10
    assert slept == [retention_service.SCHEDULED_GAP_S] * 4  # five transactions of two

