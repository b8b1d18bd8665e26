"""Room in a store's WAL file before the commits that need it (issue 20, session 14).

A commit in WAL mode with synchronous = FULL writes its frames after the last ones and fsyncs
the WAL. When those frames lie past the file's end the file grows, and the fsync also has to
journal the file's new size and blocks: on ext4 here a search's commit took 0.37–0.42 ms
appending and 0.25–0.29 ms writing over blocks the file already had (a gated exact search at
10M reads 0.84–0.92 → 0.72–0.81 ms; docs/benchmarks.md). PostgreSQL avoids the same cost by
writing its WAL segments full of zeros before it uses them. ``make_room`` does that for the
connection that commits most often (the search view's, which defers its checkpoints): it
writes zeros after the WAL's end up to ``room_bytes``, the size that connection's own
autocheckpoint lets the WAL reach, so its commits overwrite and do not grow the file. SQLite
reads a WAL frame only while its salt and checksum follow from the ones before, so zeros past
the last frame are never taken for one; it keeps the file at the size it reached (no
journal_size_limit is set) until a TRUNCATE checkpoint or the last connection's close. Every
write SQLite makes to the WAL file happens under the write lock, which ``make_room`` holds (an
empty write transaction), so nothing of SQLite's can be overwritten.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from alpr_desktop.storage.errors import DB_ERRORS, StoreError

if TYPE_CHECKING:
    from alpr_desktop.storage.db import Store

WAL_HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
CHUNK = 1 << 20
_NOT_NOW: tuple[type[Exception], ...] = (StoreError, *DB_ERRORS)
WAIT_MS = 200  # for the write lock: room is worth having, not worth waiting for


def wal_path(store: Store) -> Path:
    return Path(f"{store.path}-wal")


def room_bytes(page_size: int, cap_pages: int) -> int:
    """The WAL's size at ``cap_pages`` frames of ``page_size``, header included."""
    return WAL_HEADER_BYTES + cap_pages * (page_size + FRAME_HEADER_BYTES)


def wal_size(store: Store) -> int:
    """The WAL file's size in bytes (0 when there is none)."""
    try:
        return os.stat(wal_path(store)).st_size
    except OSError:
        return 0


def make_room(store: Store, size: int, wait_ms: int = WAIT_MS) -> int:
    """Zeros after the end of ``store``'s WAL file up to ``size`` bytes, synced, written while
    ``store``'s connection holds the write lock; how many bytes were added. 0 when the file
    was large enough, is not there to extend, could not be written, or another writer kept
    the lock for ``wait_ms``: the commits then grow it as before, and nothing is lost. Not
    inside a transaction of the caller's."""
    if wal_size(store) >= size:
        return 0
    try:
        store.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            return _extend(store, size)
        finally:
            store.restore_busy_timeout()
    except _NOT_NOW:
        return 0  # busy (an import or a purge writing), or a store that cannot be written


def _extend(store: Store, size: int) -> int:
    with store.transaction():  # the write lock: no WAL frame written or truncated meanwhile
        path = wal_path(store)
        flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags)
        except OSError:
            return 0  # no WAL yet (nothing read), or not ours to open: commits will grow it
        try:
            start = os.fstat(fd).st_size
            if start >= size:
                return 0
            zeros = bytes(CHUNK)
            at = start
            while at < size:
                n = min(CHUNK, size - at)
                _write_at(fd, zeros[:n], at)
                at += n
            os.fsync(fd)
        except OSError:
            return 0
        finally:
            os.close(fd)
    return size - start


def _write_at(fd: int, data: bytes, at: int) -> None:
    """All of ``data`` at offset ``at`` (os.pwrite is missing on Windows)."""
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            n = os.pwrite(fd, view, at)
        else:
            os.lseek(fd, at, os.SEEK_SET)
            n = os.write(fd, view)
        view, at = view[n:], at + n
