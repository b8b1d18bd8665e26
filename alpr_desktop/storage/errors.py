"""SQLite failures sorted into the kinds a user can act on (DESIGN rule 8)."""

from __future__ import annotations

import os
import sqlite3
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


class LogUnavailable(StoreError):
    """The access log could not be written, so the action it was to record was not done
    (DESIGN rule 3: no log entry, no action). ``cause`` is the storage failure."""

    def __init__(self, cause: StoreError) -> None:
        super().__init__(
            f"The access log could not be written, so the action was refused and nothing "
            f"was done. ({cause})",
            path=cause.path,
        )
        self.cause = cause
        self.advice = cause.advice


SQLITE_HEADER = b"SQLite format 3\x00"
# Both drivers: sqlcipher3 for stores, sqlite3 only for the benchmark's plaintext baseline.
DB_ERRORS: tuple[type[Exception], ...] = (sqlcipher3.Error, sqlite3.Error)
# Every SQLite page size is a power of two of at least 512, and a store file is whole pages.
_MIN_PAGE = 512

# Primary SQLite result codes (https://sqlite.org/rescode.html).
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_IOERR = 10
_SQLITE_NOTADB = 26


def classify(exc: Exception, path: Path | str | None = None) -> StoreError:
    """Turn a driver exception into one of the typed errors above (by SQLite result code,
    falling back on the message for drivers or paths that give none)."""
    if isinstance(exc, StoreError):
        return exc
    msg = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if "append-only" in msg:
        return AppendOnlyViolation("The access log cannot be changed or deleted.", path=path)
    if (
        primary == _SQLITE_FULL
        or "database or disk is full" in msg
        or ((primary == _SQLITE_IOERR or "disk i/o error" in msg) and _disk_full(path))
    ):
        return DiskFull("The disk is full; the store could not be written.", path=path)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or any(
        s in msg for s in ("database is locked", "database is busy", "table is locked")
    ):
        return StoreBusy(
            "The store is busy: another connection is writing to it.", path=path
        )
    if primary == _SQLITE_NOTADB or "file is not a database" in msg:
        return _not_a_database(path)
    if primary == _SQLITE_CORRUPT or "malformed" in msg or "corrupt" in msg:
        return StoreCorrupt("The store file is damaged and cannot be read.", path=path)
    if primary == _SQLITE_CANTOPEN or "unable to open" in msg:
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


def _looks_like_text(head: bytes) -> bool:
    """An encrypted store starts with a random 16-byte salt; 16 printable ASCII bytes in a
    row happen by chance about once in ten million files."""
    return bool(head) and all(32 <= b < 127 or b in (9, 10, 13) for b in head)


def sniff_foreign_file(path: Path) -> StoreError | None:
    """What is wrong with a file that cannot be an encrypted store, judged from its size and
    first bytes alone (no key needed), or None when it may be one."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return NotAStore("The store file cannot be read (missing or no permission).", path=path)
    if size == 0:
        return NotAStore("The file is empty; it is not an ALPR store.", path=path)
    if head == SQLITE_HEADER:
        return NotAStore(
            "The file is an unencrypted SQLite database, not an encrypted ALPR store.", path=path
        )
    if _looks_like_text(head):
        return NotAStore("The file is a text file, not an ALPR store.", path=path)
    if size < _MIN_PAGE:
        return NotAStore("The file is too small to be an ALPR store.", path=path)
    return None


def _not_a_database(path: Path | str | None) -> StoreError:
    """SQLCipher says only 'file is not a database' when page 1 does not decrypt; the file
    itself tells the cases apart as far as they can be told."""
    if path is None:
        return WrongKey("The key does not open this store.", path=path)
    p = Path(path)
    foreign = sniff_foreign_file(p)
    if foreign is not None:
        return foreign
    if p.stat().st_size % _MIN_PAGE:
        return NotAStore(
            "The file is not an ALPR store (or is a badly damaged one): the key does not "
            "open it and its size is not a whole number of pages.",
            path=p,
        )
    return WrongKey(
        "The key does not open this store (wrong key, or the file is not an ALPR store).", path=p
    )


def precheck_store_file(path: Path) -> None:
    """Refuse what cannot be a store before asking for keys: missing, empty, plain SQLite,
    or a size no SQLCipher file has. Reads 16 bytes; changes nothing."""
    if not path.is_file():
        raise NotAStore(f"No store at {path}.", path=path)
    err = _not_a_database(path)
    if not isinstance(err, WrongKey):
        raise err
