"""The search connection's WAL gets room before its commits need it, so a commit overwrites
blocks the file has rather than growing it; the zeros are never read as frames, and making
the room takes nothing from anybody (issue 20, session 14)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.storage import wal_room, wal_upkeep
from alpr_desktop.storage.db import Store, open_store

ROOM = wal_room.room_bytes(4096, 64)


def _wal(path: Path) -> Path:
    return Path(f"{path}-wal")


@pytest.fixture(autouse=True)
def _empty_wal(store: Store) -> None:
    """The WAL emptied (the store's creation left its migrations' frames there)."""
    store.query_one("PRAGMA wal_checkpoint(TRUNCATE)")


def _append(store: Store, i: int) -> None:
    store.access_log.append(LogEvent("test.append", "ok", "someone", query={"i": i}), 1_000 + i)


def test_room_is_zeros_after_the_frames_and_commits_overwrite_it(
        store: Store, store_path: Path) -> None:
    _append(store, 0)
    frames_end = os.path.getsize(_wal(store_path))
    assert 0 < frames_end < ROOM

    added = wal_room.make_room(store, ROOM)

    assert added == ROOM - frames_end
    data = _wal(store_path).read_bytes()
    assert len(data) == ROOM
    assert data[frames_end:] == bytes(ROOM - frames_end)
    for i in range(1, 6):
        _append(store, i)  # frames written over the zeros: the file does not grow
    assert os.path.getsize(_wal(store_path)) == ROOM
    assert wal_room.make_room(store, ROOM) == 0  # room enough: nothing written


def test_the_zeros_are_not_taken_for_frames_after_a_crash(
        store: Store, store_path: Path, tmp_path: Path, key: bytes) -> None:
    """The files as a crash leaves them (copied while the connection is open, the WAL not
    checkpointed): opening the copy recovers every committed entry from the WAL and stops
    at the zeros."""
    store.defer_checkpoints()  # no checkpoint in these commits: they stay in the WAL only
    store._upkeep.close()  # type: ignore[union-attr]  # nor by the upkeep's thread
    store._upkeep = None
    assert os.path.getsize(_wal(store_path)) >= wal_room.room_bytes(
        store.page_size, wal_upkeep.CAP_PAGES)
    before = store.access_log.count()
    for i in range(5):
        _append(store, i)
    crash = tmp_path / "crash"
    crash.mkdir()
    copy = crash / store_path.name
    shutil.copyfile(store_path, copy)
    shutil.copyfile(_wal(store_path), _wal(copy))
    with open_store(copy, key) as again:
        assert again.access_log.count() == before + 5
        assert again.scalar("PRAGMA integrity_check") == "ok"
        assert again.access_log.verify().intact


def test_no_room_is_made_while_another_connection_writes(store: Store, store_path: Path) -> None:
    _append(store, 0)
    size = os.path.getsize(_wal(store_path))
    other = store.reopen()
    try:
        other.conn.execute("BEGIN IMMEDIATE")  # an import's transaction, say
        assert wal_room.make_room(store, ROOM, wait_ms=50) == 0
        other.conn.execute("ROLLBACK")
    finally:
        other.close()
    assert os.path.getsize(_wal(store_path)) == size
    assert store.scalar("PRAGMA busy_timeout") == store._busy_timeout_ms  # restored
    _append(store, 1)  # the connection goes on as before
    assert wal_room.make_room(store, ROOM) > 0


def test_making_room_elsewhere_leaves_a_connection_its_cache(store: Store) -> None:
    """The room is made in an empty write transaction: another connection (the search
    view's, with its page cache) does not see a commit."""
    _append(store, 0)
    seen = store.scalar("PRAGMA data_version")
    other = store.reopen()
    try:
        assert wal_room.make_room(other, ROOM) > 0
    finally:
        other.close()
    assert store.scalar("PRAGMA data_version") == seen
    _append(store, 1)  # control: a commit here does not move its own data_version...
    other = store.reopen()
    try:
        _append(other, 2)
    finally:
        other.close()
    assert store.scalar("PRAGMA data_version") != seen  # ...one elsewhere does


def test_the_deferring_connection_gets_room_and_the_upkeep_gives_it_again(
        store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_upkeep, "EVERY_COMMITS", 2)
    monkeypatch.setattr(wal_upkeep, "IDLE_S", 0.05)
    room = wal_room.room_bytes(store.page_size, wal_upkeep.CAP_PAGES)
    store.defer_checkpoints()
    assert os.path.getsize(_wal(store_path)) == room
    other = store.reopen()
    try:
        other.query_one("PRAGMA wal_checkpoint(TRUNCATE)")  # a purge's last step, say
    finally:
        other.close()
    assert os.path.getsize(_wal(store_path)) == 0
    upkeep = store._upkeep
    assert upkeep is not None
    for i in range(4):
        _append(store, i)
    upkeep.close()  # a last checkpoint of what is pending; each one is followed by the room
    store._upkeep = None
    assert upkeep.checkpoints >= 1
    assert os.path.getsize(_wal(store_path)) == room
    assert store.access_log.count() >= 4


def test_a_store_that_cannot_be_written_gets_no_room_and_no_error(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Room is an optimization: a driver error on the way (a read-only medium, say) is no
    room, not a failure of the search connection's setup."""
    import sqlcipher3

    def readonly(_store: Store, _size: int) -> int:
        raise sqlcipher3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(wal_room, "_extend", readonly)
    assert wal_room.make_room(store, ROOM) == 0
    assert store.scalar("PRAGMA busy_timeout") == store._busy_timeout_ms


def test_room_is_written_where_pwrite_is_missing(
        store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no os.pwrite: the zeros go through lseek and write, to the same end."""
    _append(store, 0)
    frames = _wal(store_path).read_bytes()
    monkeypatch.delattr(os, "pwrite")
    assert wal_room.make_room(store, ROOM) == ROOM - len(frames)
    data = _wal(store_path).read_bytes()
    assert data[:len(frames)] == frames  # SQLite's frames untouched
    assert data[len(frames):] == bytes(ROOM - len(frames))
