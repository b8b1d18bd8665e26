"""Converting a store made in an earlier cipher format to today's (``db.STORE_FORMAT``).

A store keeps the format it was made with (storage/db.py ``CipherFormat``), and a store made
before issue 20 misses its speed-up (4 KiB pages, HMAC-SHA256). Converting it:

1. checkpoint: the store's own connection holds the file alone (``Store.hold_alone``: no
   other connection, of any process, may have it open, and none can open it until the end),
   and the WAL is copied into the file and cut;
2. copy: ``sqlcipher_export()`` copies schema and rows into a new file beside the store
   (``<store>.converting``, owner-only), ATTACHed with the same raw key and today's page
   size and HMAC, incremental auto-vacuum set before the first table (the purge relies on
   it), ``user_version`` and ``application_id`` carried over. The export copies every table
   with storage, the FTS5 index's shadow tables among them, row by row, and the triggers,
   views and virtual tables as their schema rows, so the trigram index arrives as it was;
3. verify: the copy is opened the normal way (``open_store``) and must have today's format,
   pass ``quick_check``, hold the same schema, the same row count in every table and the
   same log head, and its trigram index and access-log chain must check out; then it is
   flushed to the disk;
4. swap: still holding the file, the connection leaves WAL mode (the WAL is written into the
   file and removed), the copy replaces the file in one rename, the folder is flushed; the
   old file stays held for DRAIN_S, so that a process that started opening the store before
   the rename gives up (StoreBusy) rather than get the old file; then the connection closes
   and the old file is overwritten with zeros and removed.

Anything that fails or is cancelled before the swap leaves the store file byte for byte as it
was, and removes the copy (a rename that fails leaves it as it was in content: the swap's
change of journal mode is undone). Cancel works between phases, and during the copy through
the connection's progress handler or ``Store.interrupt()`` from another thread.

No backup of the old file is kept: it is a whole second copy of the reads, under the same key,
that the purge would never reach (policy §8: deleted five years after recordation), and the
converted store holds exactly the same rows, checked. Backups belong to the site's backup
routine. The old file is overwritten before it is removed so that its pages do not linger,
decryptable with the store's key, in free disk blocks after the purge has erased their reads
from the store (as far as a file system lets a program overwrite: a copy-on-write file system
or an SSD's wear levelling may keep old blocks; the same holds for secure_delete). The rename
goes through a second name (a hard link) for the old file so that it can be overwritten after
the new file is in place, on Windows too.

The store is held alone from the first phase to the end, so no other connection can write
to it meanwhile (a write would not be in the copy). SQLite names the WAL and journal after
the path, not the file: a process that kept the old file open past the rename would share
them with the new file. Holding the old file through the rename, out of WAL mode, and for
longer than any opener of the program waits for a lock, keeps every such process out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.owner_only import sync_folder
from alpr_desktop.core.store_format import (
    CHECKPOINT,
    COPY,
    SWAP,
    VERIFY,
    FormatConversion,
)
from alpr_desktop.storage import db
from alpr_desktop.storage.db import CipherFormat, Store
from alpr_desktop.storage.errors import (
    DB_ERRORS,
    DiskFull,
    NotAStore,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    WrongKey,
    classify,
)
from alpr_desktop.storage.protocols import UnitOfWork

Report = Callable[[str, float], object]  # report(phase, share of that phase done)
Cancel = Callable[[], bool]
BeforeCopy = Callable[[str, str], None]  # before_copy(format before, format after)

LOCK_WAIT_MS = 2000  # how long to wait for another connection to let go of the store
# After the rename the old file stays held this long: longer than any opener of the program
# waits for a lock (db.DEFAULT_BUSY_TIMEOUT_MS).
DRAIN_S = db.DEFAULT_BUSY_TIMEOUT_MS / 1000 + 1.0
TICK_OPS = 20_000  # virtual-machine steps between two progress calls during the copy
TEMP_SUFFIX = ".converting"  # the copy, beside the store, until it replaces it
OLD_SUFFIX = ".replaced"  # the old file's second name, from the swap until it is erased
_SCHEMA = "converted"
_ZEROS = bytes(1 << 20)


def describe(fmt: CipherFormat) -> str:
    """A format in words: "16 KiB pages, HMAC-SHA512"."""
    return f"{fmt.page_size // 1024} KiB pages, {fmt.hmac.replace('_', '-')}"


def _embedded(store: UnitOfWork) -> Store:
    if not isinstance(store, Store) or store.custody_path is None:
        raise StoreError("Only a store file has a file format to convert; a shared store's "
                         "format is its server's.")
    return store


def current_format(store: UnitOfWork) -> tuple[str, str]:
    """(the store's format, today's), in words."""
    return describe(_embedded(store).cipher_format), describe(db.STORE_FORMAT)


def row_counts(store: UnitOfWork) -> dict[str, int]:
    """Rows in every table with storage (the FTS5 index's shadow tables and
    sqlite_sequence among them), by name."""
    s = _embedded(store)
    names = [r[0] for r in s.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name")]
    return {n: int(s.scalar(f'SELECT count(*) FROM "{n}"')) for n in names}


@dataclass(frozen=True)
class _Facts:
    """What the copy must have of the original, besides its row counts."""

    schema: list[tuple]
    user_version: int
    application_id: int
    head: tuple[int, str]


def _facts(s: Store) -> _Facts:
    return _Facts(
        s.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"),
        int(s.scalar("PRAGMA user_version")),
        int(s.scalar("PRAGMA application_id")),
        s.access_log.head(),
    )


def temp_path(path: Path) -> Path:
    return path.with_name(path.name + TEMP_SUFFIX)


def old_path(path: Path) -> Path:
    return path.with_name(path.name + OLD_SUFFIX)


def convert_file(path: Path | str, key: bytes, *, report: Report | None = None,
                 cancel: Cancel | None = None, lock_wait_ms: int = LOCK_WAIT_MS
                 ) -> FormatConversion:
    """Open the store at ``path`` with its raw key and convert it (``convert_store``). A
    wrong key is refused (WrongKey) before anything is written."""
    store = db.open_store(path, key)
    try:
        return convert_store(store, report=report, cancel=cancel, lock_wait_ms=lock_wait_ms)
    finally:
        store.close()


def convert_store(store: UnitOfWork, *, before_copy: BeforeCopy | None = None,
                  report: Report | None = None, cancel: Cancel | None = None,
                  lock_wait_ms: int = LOCK_WAIT_MS) -> FormatConversion:
    """Convert the open store to today's format, as the module docstring says, on its own
    connection, which is open again on the store's file afterwards (converted or as it was).
    ``before_copy(before, after)`` runs once the store is held alone, before the copy (the
    service writes its log entry there, so the copy carries it). ``report(phase, share)``
    tells each phase as it begins, and the copy's progress; ``cancel()`` True stops it
    (Cancelled). A store already in today's format: nothing is done (``converted`` False)."""
    s = _embedded(store)
    before = s.cipher_format
    if before == db.STORE_FORMAT:
        _remove_leftovers(s.path)  # of a conversion killed after its rename
        return FormatConversion(False, describe(before), describe(before))
    job = _Conversion(s, report, cancel)
    try:
        done = job.run(before_copy, lock_wait_ms)
    except BaseException:
        with contextlib.suppress(StoreError):
            s.reconnect()  # the file as it was; the locking mode of the held store reset
        raise
    s.reconnect()  # the new file, in today's format
    return done


class _Conversion:
    def __init__(self, store: Store, report: Report | None, cancel: Cancel | None) -> None:
        self.s = store
        self.path = store.path
        self.tmp = temp_path(store.path)
        self._report = report
        self._cancel = cancel

    def report(self, phase: str, share: float) -> None:
        if self._report is not None:
            self._report(phase, share)

    def cancelled(self) -> bool:
        return bool(self._cancel and self._cancel())

    def check_cancel(self) -> None:
        if self.cancelled():
            raise Cancelled("The conversion was cancelled; the store is as it was.")

    def run(self, before_copy: BeforeCopy | None, lock_wait_ms: int) -> FormatConversion:
        s, t0 = self.s, time.monotonic()
        before, after = describe(s.cipher_format), describe(db.STORE_FORMAT)
        self.report(CHECKPOINT, 0.0)
        s.hold_alone(lock_wait_ms)
        busy = s.query_one("PRAGMA wal_checkpoint(TRUNCATE)")
        if busy is None or int(busy[0]):
            raise StoreBusy("The store's journal could not be written into the file; nothing "
                            "was changed.", path=self.path)
        _remove_leftovers(self.path)  # of a conversion killed midway: none runs now
        size = self.path.stat().st_size
        self.need_space(size)
        self.check_cancel()
        if before_copy is not None:
            before_copy(before, after)
        rows, facts = row_counts(s), _facts(s)
        try:
            self.report(COPY, 0.0)
            self.copy(size, facts)
            self.check_cancel()
            self.report(VERIFY, 0.0)
            self.verify(rows, facts)
            self.report(SWAP, 0.0)
            self.check_cancel()  # the last chance: the swap is not undone
            erased = self.swap()
        except BaseException:
            self.remove_copy()
            raise
        self.report(SWAP, 1.0)
        return FormatConversion(True, before, after, tuple(sorted(rows.items())), size,
                                self.path.stat().st_size, time.monotonic() - t0, erased)

    def need_space(self, size: int) -> None:
        """The copy takes about as much as the store: refuse before writing when there is
        not that much free beside it."""
        free = shutil.disk_usage(self.path.parent).free
        if free < size:
            mib = 1024 * 1024
            raise DiskFull(
                f"Converting needs as much free disk space beside the store as the store "
                f"takes ({size / mib:,.0f} MiB); there is {free / mib:,.0f} MiB. Nothing was "
                "changed.", path=self.path)

    def copy(self, size: int, facts: _Facts) -> None:
        """sqlcipher_export() into the new file, in today's format."""
        conn, fmt = self.s.conn, db.STORE_FORMAT
        # Created here, owner-only, and known to be new: SQLite makes an empty file a
        # new database, and the WAL and shared-memory files take its mode.
        os.close(os.open(self.tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        cancelled = False
        failure: list[BaseException] = []

        def tick() -> int:
            nonlocal cancelled
            try:
                self.report(COPY, min(0.99, _size(self.tmp) / max(1, size)))
                cancelled = self.cancelled()
            except BaseException as exc:  # never raise into SQLite: stop the export instead
                failure.append(exc)
                return 1
            return 1 if cancelled else 0

        try:
            conn.execute(f"ATTACH DATABASE ? AS {_SCHEMA} KEY ?",
                         (str(self.tmp), f"x'{self.s.data_key().hex()}'"))
            try:
                # A copy that fails is removed, so no journal is written to disk, and the
                # file is flushed after the copy is checked.
                for pragma in ("journal_mode = MEMORY", "synchronous = OFF",
                               f"cipher_page_size = {fmt.page_size}",
                               f"cipher_hmac_algorithm = {fmt.hmac}",
                               "auto_vacuum = INCREMENTAL", "cache_size = -65536"):
                    conn.execute(f"PRAGMA {_SCHEMA}.{pragma}")
                conn.execute(f"PRAGMA {_SCHEMA}.user_version = {facts.user_version}")
                conn.execute(f"PRAGMA {_SCHEMA}.application_id = {facts.application_id}")
                conn.set_progress_handler(tick, TICK_OPS)
                try:
                    conn.execute(f"SELECT sqlcipher_export('{_SCHEMA}')").fetchall()
                finally:
                    conn.set_progress_handler(None, 0)
            finally:  # a copy still attached is closed with the connection before the swap
                with contextlib.suppress(*DB_ERRORS):
                    conn.execute(f"DETACH DATABASE {_SCHEMA}")
        except DB_ERRORS as exc:
            if failure:
                raise failure[0] from None
            if cancelled or "interrupt" in str(exc).lower():
                raise Cancelled("The conversion was cancelled; the store is as it was.") from None
            err = classify(exc, self.path)
            if isinstance(err, WrongKey | NotAStore):  # the key opened page 1: a bad page
                err = StoreCorrupt("A page of the store does not decrypt: the file is "
                                   "damaged. Nothing was changed.", path=self.path)
            raise err from exc
        if failure:
            raise failure[0]

    def verify(self, rows: dict[str, int], facts: _Facts) -> None:
        """Open the copy the normal way and hold it against the original."""
        try:
            new = db.open_store(self.tmp, self.s.data_key())
        except StoreError as exc:
            raise StoreCorrupt(f"The converted copy could not be opened ({exc}); the store "
                               "is unchanged.", path=self.path) from exc
        problems: list[str] = []
        try:
            if new.cipher_format != db.STORE_FORMAT:
                problems.append(f"it has {describe(new.cipher_format)}")
            check = [r[0] for r in new.query("PRAGMA quick_check")]
            if check != ["ok"]:
                problems.append("its pages do not check out: " + "; ".join(check[:3]))
            if int(new.scalar("PRAGMA auto_vacuum")) != 2:
                problems.append("it lacks incremental vacuum")
            got = _facts(new)
            if got.schema != facts.schema:
                problems.append("its schema differs")
            if (got.user_version, got.application_id) != (facts.user_version,
                                                           facts.application_id):
                problems.append("its user_version or application_id differs")
            counts = row_counts(new)
            differ = sorted(n for n in rows.keys() | counts.keys()
                            if rows.get(n) != counts.get(n))
            if differ:
                problems.append("row counts differ in " + ", ".join(differ[:5]))
            try:
                new.execute("INSERT INTO plates_fts(plates_fts, rank) "
                            "VALUES ('integrity-check', 1)")
            except StoreError as exc:
                problems.append(f"its trigram index does not check out ({exc})")
            log = new.access_log.verify(lambda _n: not self.cancelled())
            if not log.intact:
                problems.append(f"its access-log chain does not verify ({log.reason})")
            elif (log.head_seq, log.head_hash) != facts.head:
                problems.append("its access log ends elsewhere")
        finally:
            new.close()
        self.check_cancel()
        if problems:
            raise StoreCorrupt("The converted copy did not check out (" + "; ".join(problems)
                               + "); the store is unchanged.", path=self.path)
        _fsync(self.tmp)

    def swap(self) -> bool:
        """Put the copy in the store's place while the old file is still held; True when the
        old file was overwritten too."""
        conn = self.s.conn
        # Out of WAL while held: the WAL is written into the file and removed now, and the
        # close after the rename has no WAL to remove under the store's name, by then the
        # new file's. (The rollback journal it leaves is empty: never taken for a hot one.)
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        if mode is None or str(mode[0]).lower() != "delete":
            raise StoreBusy("The store's journal could not be closed; nothing was changed.",
                            path=self.path)
        if os.name == "nt":
            # Windows replaces no file that a handle has open (ours included): let go, and
            # the rename fails while anyone else has the store open or is opening it.
            self.s.close()
        old: Path | None = old_path(self.path)
        try:
            # The old file's bytes stay reachable after the rename, to be overwritten.
            os.link(self.path, old_path(self.path))
        except OSError:
            old = None  # a file system without hard links: removed by the rename alone
        try:
            os.replace(self.tmp, self.path)
        except BaseException:
            if old is not None:
                old.unlink(missing_ok=True)
            with contextlib.suppress(*DB_ERRORS):
                conn.execute("PRAGMA journal_mode = WAL")
            raise
        sync_folder(self.path.parent)
        # Whoever started opening the store before the rename waits for the old file's
        # lock: held until every such wait has given up (StoreBusy), nobody gets the old
        # file. Whoever opens it from now on gets the new one.
        if os.name != "nt":
            time.sleep(DRAIN_S)
        self.s.close()
        return old is not None and _erase(old)

    def remove_copy(self) -> None:
        _erase(self.tmp)
        for side in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.tmp}{side}").unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(path: Path) -> None:
    """Remove what a conversion killed midway left beside the store at ``path``: its copy,
    and the old file's second name. That name is only unlinked, never overwritten, while it
    is still the store's own file (a kill between the link and the rename)."""
    for leftover in (temp_path(path), old_path(path)):
        for side in ("-journal", "-wal", "-shm"):
            Path(f"{leftover}{side}").unlink(missing_ok=True)
        if leftover.exists() and path.exists() and os.path.samefile(leftover, path):
            leftover.unlink()
        else:
            _erase(leftover)


def _erase(path: Path) -> bool:
    """Overwrite a file with zeros, flush that to the disk and remove the file. True when it
    was overwritten (or was not there); False when only removed."""
    if not path.exists():
        return True
    erased = False
    try:
        left = path.stat().st_size
        with open(path, "r+b", buffering=0) as fh:
            while left > 0:
                left -= fh.write(_ZEROS[:min(left, len(_ZEROS))]) or left  # 0: give up
            os.fsync(fh.fileno())
        erased = True
    except OSError:
        pass
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    return erased
