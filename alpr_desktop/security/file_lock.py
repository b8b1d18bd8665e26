"""An exclusive OS file lock for read-modify-write of the files beside a store (key file,
sign-in record): fcntl.flock on POSIX, msvcrt.locking on Windows. flock belongs to the open
file, so two threads of one process exclude each other as two processes do; a per-path
thread lock is taken first so the wait is cheap in-process."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    key = os.path.abspath(path)
    with _GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold ``path`` (created owner-only if missing, never deleted) locked for the block."""
    with _thread_lock(path):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.name == "nt":  # pragma: no cover - Windows
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
