"""Issue 20: a store made in an earlier format (16 KiB pages, HMAC-SHA512) converts to today's
with every row, the trigram index, the images and the access-log chain intact; whatever
fails or is cancelled before the swap (a wrong key, another connection, a full disk, a
damaged page, a check that does not pass, a kill) leaves the store file byte for byte as it
was and no copy beside it."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from old_format import OLD, create_old, dump, fill, searches, store_files

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.store_format import CHECKPOINT, COPY, PHASES, SWAP, VERIFY
from alpr_desktop.storage import (
    DiskFull,
    Store,
    StoreBusy,
    StoreCorrupt,
    WrongKey,
    create_store,
    open_store,
)
from alpr_desktop.storage import format_convert as fc
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import STORE_FORMAT
from alpr_desktop.storage.reads import ImageRepo

CHILD = Path(__file__).with_name("convert_child.py")
WAITER = """
import sys
from alpr_desktop.storage import StoreError, open_store
try:
    with open_store(sys.argv[1], bytes.fromhex(sys.argv[2]), busy_timeout_ms=500) as s:
        print(s.cipher_format.page_size)
except StoreError as exc:
    print(type(exc).__name__)
"""


@pytest.fixture(autouse=True)
def no_drain(monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap holds the old file as long as an opener may wait (6 s): not in these tests,
    except the one about that wait."""
    monkeypatch.setattr(fc, "DRAIN_S", 0.0)


@dataclass
class Before:
    path: Path
    key: bytes
    dump: dict[str, object]
    searches: dict[Any, Any]
    images: dict[int, list[bytes]]
    head: tuple[int, str]
    files: dict[str, bytes]


def _images(store: Store, ids: list[int]) -> dict[int, list[bytes]]:
    return {i: [b.data for b in ImageRepo(store).for_read(i)] for i in ids}


@pytest.fixture
def old(store_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> Before:
    """A filled store in the earlier format, closed, and what it held."""
    store = create_old(store_path, key, monkeypatch)
    kept = fill(store)
    before = Before(store_path, key, dump(store), searches(store),
                    _images(store, kept[:5] + kept[8:12]), AccessLogRepo(store).head(), {})
    store.close()
    before.files = store_files(store_path)
    assert set(before.files) == {store_path.name}  # closed: no WAL, no copy
    return before


def _unchanged(before: Before, *, bytes_too: bool = True) -> None:
    """The store file is byte for byte as it was (or, ``bytes_too`` False, in content),
    nothing is left beside it, and it still opens in its own format with all its rows."""
    if bytes_too:
        assert store_files(before.path) == before.files
    assert set(store_files(before.path)) == set(before.files)
    with open_store(before.path, before.key) as again:
        assert again.cipher_format == OLD
        assert dump(again) == before.dump
    if bytes_too:
        assert store_files(before.path) == before.files


def test_an_old_store_converts_with_every_row_index_image_and_log_entry(old: Before) -> None:
    phases: list[str] = []
    done = fc.convert_file(old.path, old.key,
                           report=lambda phase, _share: phases.append(phase))
    assert done.converted and done.before == "16 KiB pages, HMAC-SHA512"
    assert done.after == "4 KiB pages, HMAC-SHA256"
    assert [p for i, p in enumerate(phases) if p not in phases[:i]] == list(PHASES)
    assert set(store_files(old.path)) == {old.path.name}  # no copy, no old file left
    assert stat.S_IMODE(old.path.stat().st_mode) == 0o600
    with open_store(old.path, old.key) as new:
        assert new.cipher_format == STORE_FORMAT
        assert new.query_one("PRAGMA auto_vacuum") == (2,)  # incremental, for the purge
        assert new.query("PRAGMA integrity_check") == [("ok",)]
        after = dump(new)
        assert after == old.dump
        assert dict(done.rows) == {k: len(v) for k, v in after.items()  # type: ignore[arg-type]
                                   if k not in ("schema", "user_version", "application_id")}
        found = searches(new)
        assert found == old.searches
        assert all(rows for _total, rows in found.values())  # every kind finds something
        assert _images(new, list(old.images)) == old.images
        assert all(old.images.values())
        log = AccessLogRepo(new)
        result = log.verify()
        assert result.intact and (result.head_seq, result.head_hash) == old.head
        log.append(LogEvent("test.after", Outcome.OK, "old.officer"), 1_800_000_000_000)
        assert log.verify().intact and log.head()[0] == old.head[0] + 1
    again = fc.convert_file(old.path, old.key)
    assert not again.converted and "nothing to convert" in again.summary


def test_a_wrong_key_is_refused_and_changes_nothing(old: Before) -> None:
    with pytest.raises(WrongKey):
        fc.convert_file(old.path, bytes(32))
    assert store_files(old.path) == old.files
    _unchanged(old)


def test_refused_while_another_connection_has_the_store_open(old: Before) -> None:
    other = open_store(old.path, old.key)  # another window, or another program
    try:
        with pytest.raises(StoreBusy, match="open"):
            fc.convert_file(old.path, old.key, lock_wait_ms=50)
        assert other.scalar("SELECT count(*) FROM reads") > 0  # it carries on
        assert not fc.temp_path(old.path).exists()
    finally:
        other.close()
    _unchanged(old)


def test_a_worker_connection_of_the_same_store_counts_as_another(old: Before) -> None:
    store = open_store(old.path, old.key)
    worker = store.reopen()
    try:
        with pytest.raises(StoreBusy):
            fc.convert_store(store, lock_wait_ms=50)
        assert store.cipher_format == OLD
        assert store.scalar("SELECT count(*) FROM reads") > 0  # open again, as it was
        with store.transaction():  # and writable: the lock was let go
            AccessLogRepo(store).append(LogEvent("test.x", Outcome.OK, "x"), 1)
    finally:
        worker.close()
        store.close()


def test_the_open_store_carries_on_in_the_new_format(old: Before) -> None:
    """The unit of work that was converted goes on, on the new file; its repositories are
    made afresh (the search keeps the connection's page size for its plans)."""
    store = open_store(old.path, old.key)
    try:
        search = store.search
        assert fc.convert_store(store).converted
        assert store.cipher_format == STORE_FORMAT and store.page_size == 4096
        assert store.search is not search
        assert searches(store) == old.searches
        AccessLogRepo(store).append(LogEvent("test.after", Outcome.OK, "x"), 2)
        assert AccessLogRepo(store).verify().intact
    finally:
        store.close()


def _raise(exc: BaseException) -> Any:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise exc
    return fail


@pytest.mark.parametrize("where", ["copy", "verify", "flush", "swap"])
def test_a_failure_before_the_swap_leaves_the_store_as_it_was(
    old: Before, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Injected failures: mid-copy (the progress report raises inside the export), in the
    check of the copy, in flushing it to the disk, and in the rename itself."""
    report: Any = None
    if where == "copy":
        monkeypatch.setattr(fc, "TICK_OPS", 500)
        calls = [0]

        def report(phase: str, _share: float) -> None:
            if phase == COPY:
                calls[0] += 1
                if calls[0] == 3:
                    raise RuntimeError("power cut")
    elif where == "verify":
        monkeypatch.setattr(fc._Conversion, "verify",
                            _raise(StoreCorrupt("The converted copy did not check out.")))
    elif where == "flush":
        monkeypatch.setattr(fc, "_fsync", _raise(OSError(5, "Input/output error")))
    else:
        monkeypatch.setattr(fc.os, "replace", _raise(OSError(13, "Permission denied")))
    with pytest.raises((RuntimeError, StoreCorrupt, OSError)):
        fc.convert_file(old.path, old.key, report=report)
    _unchanged(old, bytes_too=where != "swap")  # the swap had left WAL mode, and went back


@pytest.mark.parametrize("when", [CHECKPOINT, COPY, VERIFY, SWAP, "interrupt"])
def test_cancel_leaves_the_store_as_it_was(
    old: Before, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel asked for as a phase begins (between phases), inside the copy through the
    progress handler, and by interrupting the connection (Store.interrupt, as another thread
    would) while the copy runs."""
    monkeypatch.setattr(fc, "TICK_OPS", 500)
    store = open_store(old.path, old.key)
    seen: list[tuple[str, float]] = []
    wanted = [False]

    def report(phase: str, share: float) -> None:
        seen.append((phase, share))
        copy_ticks = sum(1 for p, _ in seen if p == COPY)
        if when == "interrupt":
            if copy_ticks == 3:
                store.interrupt()
        elif phase == when and (when != COPY or copy_ticks == 3):
            wanted[0] = True

    try:
        with pytest.raises(Cancelled):
            fc.convert_store(store, report=report, cancel=lambda: wanted[0])
        assert store.cipher_format == OLD
        assert store.scalar("SELECT count(*) FROM reads") > 0  # open again on the original
    finally:
        store.close()
    if when in (COPY, "interrupt"):
        assert sum(1 for p, _ in seen if p == COPY) >= 3  # it was stopped inside the copy
    assert SWAP not in [p for p, _ in seen] or when == SWAP
    _unchanged(old)


def test_too_little_free_space_is_refused_before_anything_is_written(
    old: Before, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fc.shutil.disk_usage

    def tight(where: Any) -> Any:
        usage = real(where)
        return usage._replace(free=old.path.stat().st_size // 2)

    monkeypatch.setattr(fc.shutil, "disk_usage", tight)
    with pytest.raises(DiskFull, match="free disk space beside the store"):
        fc.convert_file(old.path, old.key)
    _unchanged(old)


def test_a_damaged_page_is_refused_and_the_copy_removed(old: Before) -> None:
    data = bytearray(old.path.read_bytes())
    spot = OLD.page_size * 3 + 200  # page 4, past page 1 which the key opens
    data[spot:spot + 64] = bytes(64)
    old.path.write_bytes(bytes(data))
    damaged = store_files(old.path)
    with pytest.raises(StoreCorrupt, match="damaged"):
        fc.convert_file(old.path, old.key)
    assert store_files(old.path) == damaged


def test_a_store_already_in_todays_format_is_left_alone(store_path: Path, key: bytes) -> None:
    create_store(store_path, key).close()
    files = store_files(store_path)
    done = fc.convert_file(store_path, key)
    assert not done.converted
    assert done.summary == ("The store already has today's format (4 KiB pages, "
                            "HMAC-SHA256); nothing to convert.")
    assert store_files(store_path) == files


def test_what_a_killed_conversion_left_is_removed_and_never_the_store(old: Before) -> None:
    """A kill between the old file's second name and the rename leaves that name on the
    store's own file: it is unlinked, not overwritten (which would erase the store)."""
    os.link(old.path, fc.old_path(old.path))
    fc.temp_path(old.path).write_bytes(os.urandom(8192))
    done = fc.convert_file(old.path, old.key)
    assert done.converted
    assert set(store_files(old.path)) == {old.path.name}
    with open_store(old.path, old.key) as new:
        assert dump(new) == old.dump


def test_a_conversion_killed_midway_loses_nothing(old: Before) -> None:
    env = {**os.environ, "ALPR_TEST_KEY": old.key.hex(),
           "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    child = subprocess.run([sys.executable, str(CHILD), str(old.path), "4"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == -9, child.stderr  # killed inside the copy
    assert "killing" in child.stdout and "finished" not in child.stdout
    assert fc.temp_path(old.path).exists()  # the copy it was writing
    assert old.path.read_bytes() == old.files[old.path.name]
    with open_store(old.path, old.key) as again:
        assert again.cipher_format == OLD and dump(again) == old.dump
    done = fc.convert_file(old.path, old.key)  # run again: it completes, and tidies up
    assert done.converted and set(store_files(old.path)) == {old.path.name}
    with open_store(old.path, old.key) as new:
        assert new.cipher_format == STORE_FORMAT and dump(new) == old.dump


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="watches /proc/PID/fd")
def test_a_process_opening_the_store_at_the_swap_never_gets_the_old_file(
    old: Before, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second process starts opening the store while the copy is being checked, so it
    waits for the lock on the old file (500 ms, its busy timeout). The old file stays held
    past the rename for longer than that: it gives up, or opens the new file; never the old
    one, whose WAL and journal names are the new file's."""
    monkeypatch.setattr(fc, "DRAIN_S", 1.5)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    started: list[subprocess.Popen[str]] = []

    def report(phase: str, _share: float) -> None:
        if phase != VERIFY or started:
            return
        waiter = subprocess.Popen([sys.executable, "-c", WAITER, str(old.path), old.key.hex()],
                                  env=env, stdout=subprocess.PIPE, text=True)
        started.append(waiter)
        fds = Path(f"/proc/{waiter.pid}/fd")
        while waiter.poll() is None:  # until it holds the store file open
            with contextlib.suppress(OSError):
                if any(os.readlink(fd) == str(old.path) for fd in fds.iterdir()):
                    return

    done = fc.convert_file(old.path, old.key, report=report)
    assert done.converted and started
    out, _ = started[0].communicate(timeout=60)
    assert out.strip() in ("StoreBusy", str(STORE_FORMAT.page_size)), out
    with open_store(old.path, old.key) as new:
        assert new.cipher_format == STORE_FORMAT and dump(new) == old.dump
