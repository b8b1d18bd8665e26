"""A search connection's commits carry no WAL checkpoint; a worker of its own checkpoints the
WAL, and the deferring connection's own autocheckpoint still bounds it (issue 20, step 5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.storage import wal_upkeep
from alpr_desktop.storage.db import Store

_PAGES = 1200  # past SQLite's default autocheckpoint of 1,000 pages


def _write_pages(store: Store, pages: int) -> None:
    """One transaction writing about ``pages`` pages (a scratch table, a row per page)."""
    with store.transaction() as c:
        c.execute("CREATE TABLE IF NOT EXISTS scratch(x BLOB)")
        c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                  "INSERT INTO scratch SELECT randomblob(?) FROM n",
                  (pages, store.page_size * 15 // 16))


def _size(path: Path) -> int:
    return os.path.getsize(path)


def test_default_commit_checkpoints_but_a_deferring_one_does_not(
        store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_upkeep, "EVERY_COMMITS", 10**9)
    monkeypatch.setattr(wal_upkeep, "IDLE_S", 3600.0)
    before = _size(store_path)
    _write_pages(store, _PAGES)
    grown = _size(store_path)
    assert grown > before + 1000 * store.page_size  # the commit copied the WAL back (control)

    store.defer_checkpoints()
    assert store.scalar("PRAGMA wal_autocheckpoint") == wal_upkeep.CAP_PAGES
    assert store.scalar("PRAGMA synchronous") == 2  # FULL: each commit still fsyncs the WAL
    _write_pages(store, _PAGES)
    assert _size(store_path) == grown  # no checkpoint inside this commit
    assert _size(Path(f"{store_path}-wal")) > _PAGES * store.page_size


def test_the_upkeep_checkpoints_after_commits(
        store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_upkeep, "EVERY_COMMITS", 3)
    monkeypatch.setattr(wal_upkeep, "IDLE_S", 0.05)
    store.defer_checkpoints()
    upkeep = store._upkeep
    assert upkeep is not None
    before = _size(store_path)
    for i in range(8):
        store.access_log.append(LogEvent("test.append", "ok", "someone", query={"i": i}),
                                1_000 + i)
    upkeep.close()  # a last checkpoint of what is pending, then the thread ends
    assert upkeep.checkpoints >= 2
    assert _size(store_path) > before  # the entries reached the store file
    assert store.access_log.count() >= 8  # the deferring connection still works
    store._upkeep = None


def test_the_cap_bounds_the_wal_when_the_upkeep_falls_behind(
        store: Store, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wal_upkeep, "CAP_PAGES", 200)
    monkeypatch.setattr(wal_upkeep, "EVERY_COMMITS", 10**9)
    monkeypatch.setattr(wal_upkeep, "IDLE_S", 3600.0)
    store.defer_checkpoints()
    before = _size(store_path)
    _write_pages(store, 300)
    assert _size(store_path) > before + 250 * store.page_size


def test_an_upkeep_that_cannot_open_its_connection_stays_quiet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The store went away (or is locked out): the worker ends without a traceback and the
    deferring connection's commits and close go on."""
    import threading

    from alpr_desktop.storage.errors import StoreError

    crashed: list[object] = []
    monkeypatch.setattr(threading, "excepthook", crashed.append)

    def gone() -> Store:
        raise StoreError("No store at /nowhere.")

    upkeep = wal_upkeep.WalUpkeep(gone, every=1, idle_s=0.01)
    upkeep.committed()
    upkeep.committed()
    upkeep.close()
    assert upkeep.checkpoints == 0
    assert crashed == []
