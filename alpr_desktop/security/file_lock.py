"""An exclusive OS file lock for read-modify-write of the files beside a store (key file,
sign-in record): fcntl.flock on POSIX, msvcrt.locking on Windows. flock belongs to the open
file, so two threads of one process exclude each other as two processes do; a per-path
thread lock is taken first so the wait is cheap in-process. Re-entrant within a thread (a
key-file change that also writes the sign-in record holds it once)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_THREAD_LOCKS: dict[str, threading.RLock] = {}
_GUARD = threading.Lock()
_HELD = threading.local()


def _thread_lock(key: str) -> threading.RLock:
    with _GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.RLock())


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold ``path`` (created owner-only if missing, never deleted) locked for the block."""
    key = os.path.abspath(path)
    held: set[str] = _HELD.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    with _thread_lock(key):
        held.add(key)
        try:
            with _os_lock(path):
                yield
        finally:
            held.discard(key)


@contextmanager
def _os_lock(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
