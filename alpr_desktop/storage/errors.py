"""SQLite failures sorted into the kinds a user can act on (DESIGN rule 8)."""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3


class StoreError(Exception):
    """Base of every storage failure; ``str()`` is a sentence fit for a dialog."""

    advice = "Contact your system administrator."

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class WrongKey(StoreError):
    advice = "Unlock with the store's recovery passphrase, or pick the right store file."


class NotAStore(StoreError):
    advice = "Choose an ALPR store file (*.alprdb)."


class StoreCorrupt(StoreError):
    advice = "Restore the store from a backup; the damaged file has not been changed."


class StoreBusy(StoreError):
    advice = "Another program is writing to the store. Wait a moment and try again."


class DiskFull(StoreError):
    advice = "Free disk space and try again; nothing was written."


class NewerSchema(StoreError):
    advice = "Install the newer version of the program that created this store."


class AppendOnlyViolation(StoreError):
    """A write that would change or remove an access-log entry."""


SQLITE_HEADER = b"SQLite format 3\x00"


def classify(exc: Exception, path: Path | str | None = None) -> StoreError:
    """Turn a sqlcipher3 exception into one of the typed errors above."""
    msg = str(exc).lower()
    if isinstance(exc, StoreError):
        return exc
    if "append-only" in msg:
        return AppendOnlyViolation("The access log cannot be changed or deleted.", path=path)
    if "database or disk is full" in msg or ("disk i/o error" in msg and _disk_full(path)):
        return DiskFull("The disk is full; the store could not be written.", path=path)
    if any(s in msg for s in ("database is locked", "database is busy", "table is locked")):
        return StoreBusy("The store is busy (locked by another connection).", path=path)
    if "file is not a database" in msg:
        return _not_a_database(path)
    if "malformed" in msg or "corrupt" in msg or "disk image" in msg:
        return StoreCorrupt("The store file is damaged and cannot be read.", path=path)
    if isinstance(exc, sqlcipher3.OperationalError) and "unable to open" in msg:
        return NotAStore("The store file cannot be opened (missing or no permission).", path=path)
    return StoreError(f"Storage error: {exc}", path=path)


def _disk_full(path: Path | str | None) -> bool:
    if path is None:
        return False
    try:
        st = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1_000_000


def _not_a_database(path: Path | str | None) -> StoreError:
    """SQLCipher says only 'file is not a database'; the file itself tells us which case."""
    if path is None:
        return WrongKey("The key does not open this store.", path=path)
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return NotAStore("The store file cannot be read.", path=p)
    if size == 0:
        return NotAStore("The file is empty; it is not an ALPR store.", path=p)
    if head == SQLITE_HEADER:
        return NotAStore(
            "The file is an unencrypted SQLite database, not an encrypted ALPR store.", path=p
        )
    if size % 1024 != 0:
        return StoreCorrupt("The store file is truncated or damaged.", path=p)
    return WrongKey(
        "The key does not open this store (wrong key, or the file is not an ALPR store).", path=p
    )
