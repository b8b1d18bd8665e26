"""Open and create SQLCipher 4 stores with a raw 256-bit key, pragmas and migrations."""

from __future__ import annotations

import functools
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from alpr_desktop.core.camera_names import camera_key
from alpr_desktop.storage.errors import (
    DB_ERRORS,
    NewerSchema,
    NotAStore,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    WrongKey,
    classify,
    sniff_foreign_file,
)

if TYPE_CHECKING:
    from alpr_desktop.storage.access_log import AccessLogRepo
    from alpr_desktop.storage.account_requests import AccountRequestRepo
    from alpr_desktop.storage.accounts import AccountRepo
    from alpr_desktop.storage.agencies import AgencyRepo
    from alpr_desktop.storage.audit_queries import AuditQueries
    from alpr_desktop.storage.checkpoints import CheckpointRepo
    from alpr_desktop.storage.corrections import CorrectionRepo
    from alpr_desktop.storage.extract_releases import ExtractReleaseRepo
    from alpr_desktop.storage.extract_store import ExtractContentRepo
    from alpr_desktop.storage.health_queries import HealthQueries
    from alpr_desktop.storage.holds import HoldRepo
    from alpr_desktop.storage.image_segments import ImageSegments
    from alpr_desktop.storage.import_state import ImportStateRepo
    from alpr_desktop.storage.incidents import IncidentRepo
    from alpr_desktop.storage.investigator_views import InvestigatorViewsRepo
    from alpr_desktop.storage.location_analysis import LocationAnalysisRepo
    from alpr_desktop.storage.log_archive import LogArchiveRepo
    from alpr_desktop.storage.maintenance import MaintenanceRepo
    from alpr_desktop.storage.oversight import OversightQueries, ReviewRepo
    from alpr_desktop.storage.oversight_state import OversightStateRepo
    from alpr_desktop.storage.permissions import PermissionRepo
    from alpr_desktop.storage.plate_search import SqlCipherPlateSearch
    from alpr_desktop.storage.purge_watch import PurgeWatchRepo
    from alpr_desktop.storage.purposes import PurposeRepo
    from alpr_desktop.storage.read_grams import ReadGrams
    from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo
    from alpr_desktop.storage.retention import RetentionRepo
    from alpr_desktop.storage.settings_repo import SettingsRepo
    from alpr_desktop.storage.sharing import SharingRepo
    from alpr_desktop.storage.training import SuspensionRepo, TrainingRepo
    from alpr_desktop.storage.transparency_queries import TransparencyQueries
    from alpr_desktop.storage.travel_analysis import TravelAnalysisRepo
    from alpr_desktop.storage.wal_upkeep import WalUpkeep
    from alpr_desktop.storage.write_turns import WriteTurns

KEY_BYTES = 32
STORE_SUFFIX = ".alprdb"


@dataclass(frozen=True)
class CipherFormat:
    """How a store's pages are laid out and authenticated: set on every connection before
    the first read, since SQLCipher cannot discover either from the (fully encrypted) file.
    A store keeps the format it was made with; open tries today's, then the earlier ones."""

    page_size: int
    hmac: str  # PRAGMA cipher_hmac_algorithm


# New stores since issue 20: 4 KiB pages and HMAC-SHA256. Every page read or written is
# decrypted or encrypted and authenticated whole, and what a search or an insert touches in a
# large store is scattered (one index leaf per plate, one row per read): on the same
# 10,000,000 reads, 4 KiB pages took 0.6-0.9x the CPU of 16 KiB per search kind and 0.57x per
# batch into a random index, and HMAC-SHA256 (SHA extensions in the CPU) a further 0.88x
# of SHA-512's on three kinds (docs/benchmarks.md). Both stay strong: AES-256 and a 256-bit
# HMAC per page.
STORE_FORMAT = CipherFormat(4096, "HMAC_SHA256")
# The formats stores made by earlier versions have, tried in turn when one is opened.
EARLIER_FORMATS = (CipherFormat(16384, "HMAC_SHA512"),)
CIPHER_PAGE_SIZE = STORE_FORMAT.page_size
DEFAULT_BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Applied after the key on every connection. temp_store=MEMORY keeps sorts and temp tables off
# disk, where they would not be encrypted; secure_delete overwrites freed content (purges).
# synchronous=FULL: a committed access-log entry survives a power cut.
_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -65536",  # KiB: 64 MiB, enough for the hot index pages of an import
    "PRAGMA synchronous = FULL",
)

Connection = Any  # a sqlcipher3 connection (keyed, or for the plain benchmark baseline not)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@functools.cache
def _load_migrations() -> tuple[Migration, ...]:
    found = []
    for entry in resources.files("alpr_desktop.storage.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda mg: mg.version)
    versions = [mg.version for mg in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return tuple(found)


def migrations() -> list[Migration]:
    """The numbered migrations shipped with the program, in order (read once per process)."""
    return list(_load_migrations())


def latest_version() -> int:
    return _load_migrations()[-1].version


class Store:
    """One connection to an open store, and the embedded store's unit of work
    (storage/protocols.py ``UnitOfWork``): its repositories are the attributes below, made
    on first use and kept for the connection's life. Not shared across threads: workers
    open their own (``reopen``)."""

    def __init__(
        self,
        path: Path,
        conn: Connection,
        key: bytes,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        plain: bool = False,
    ) -> None:
        self.path = path
        self.conn = conn
        self._key = key
        self._busy_timeout_ms = busy_timeout_ms
        self._plain = plain
        self._tx_depth = 0
        self._owner = threading.get_ident()
        self._upkeep: WalUpkeep | None = None  # defer_checkpoints
        self._store_id = ""  # store_id, read on first use
        # The file's format (a store keeps the one it was made with): a worker's connection
        # opens with it at once.
        self.cipher_format = _format(conn, plain)

    # -- lifecycle -----------------------------------------------------------------------
    def reopen(self) -> Store:
        """A new connection to the same store, for a worker thread."""
        return _open(self.path, self._key, self._busy_timeout_ms, plain=self._plain,
                     fmt=None if self._plain else self.cipher_format)

    def close(self) -> None:
        if self._upkeep is not None:
            self._upkeep.close()
            self._upkeep = None
        try:
            self.conn.close()
        except DB_ERRORS:
            pass

    def hold_alone(self, wait_ms: int) -> None:
        """Keep every other connection out of the file, of this process or another, until
        this one closes: for work on the file itself (storage/format_convert.py). In WAL mode
        each open connection holds a shared lock on the file; with locking_mode EXCLUSIVE the
        next write transaction takes the exclusive lock, which it gets only once no other
        connection has the store open, and keeps. Writes nothing. StoreBusy (the store as it
        was, this connection usable) when another connection still has it open after
        ``wait_ms``. Checkpoints are no longer deferred (``defer_checkpoints``): that thread
        has a connection of its own."""
        if self.in_transaction:
            raise RuntimeError("cannot take the store alone inside a transaction")
        if self._upkeep is not None:
            self._upkeep.close()
            self._upkeep = None
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
            self.conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.execute("COMMIT")
            except DB_ERRORS as exc:
                self._rollback()
                self.conn.execute("PRAGMA locking_mode = NORMAL")
                raise StoreBusy(
                    "Another window or program has this store open, here or on another "
                    "computer. Close it everywhere (sign out), then try again; nothing was "
                    "changed.", path=self.path) from exc
        finally:
            self.restore_busy_timeout()

    def reconnect(self) -> None:
        """Close this connection and open the file at ``path`` again, its format found
        afresh: after work on the file itself, which may have put another file (in today's
        format) in its place. The repositories are made afresh on next use: some keep facts
        of the connection (the search's page size)."""
        self.close()
        _check_existing(self.path, plain=self._plain)
        self.conn = _connect(self.path, self._key, self._busy_timeout_ms, plain=self._plain)
        self.cipher_format = _format(self.conn, self._plain)
        self._tx_depth = 0
        for name, attr in vars(Store).items():
            if isinstance(attr, functools.cached_property):
                self.__dict__.pop(name, None)

    def defer_checkpoints(self) -> None:
        """Keep WAL checkpoints out of this connection's commits (storage/wal_upkeep.py): a
        search's durable log append then never carries one. Idempotent; the bound on the WAL
        is this connection's own autocheckpoint at ``wal_upkeep.CAP_PAGES``. The WAL file is
        given room for that many pages at once (storage/wal_room.py), and again by the
        upkeep should a TRUNCATE checkpoint elsewhere empty it, so that these commits
        overwrite the file rather than grow it."""
        if self._upkeep is None:
            from alpr_desktop.storage.wal_room import make_room, room_bytes
            from alpr_desktop.storage.wal_upkeep import CAP_PAGES, WalUpkeep

            self.conn.execute(f"PRAGMA wal_autocheckpoint = {CAP_PAGES}")
            room = room_bytes(self.page_size, CAP_PAGES)
            make_room(self, room)
            self._upkeep = WalUpkeep(self.reopen, room=room)

    def restore_busy_timeout(self) -> None:
        """This connection's busy timeout as it was opened with, after a shorter wait."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")

    def enlarge_page_cache(self, mib: int) -> None:
        """Let this connection keep up to ``mib`` MiB of decrypted pages (SQLite allocates
        them as pages are read, and frees them when the connection closes). A page in the
        cache is not decrypted again: for a connection kept across searches, the index leaves
        and rows that recent searches read. Never shrinks the cache."""
        row = self.conn.execute("PRAGMA cache_size").fetchone()
        current_kib = -int(row[0]) if row and int(row[0]) < 0 else 0
        if int(mib) * 1024 > current_kib:
            self.conn.execute(f"PRAGMA cache_size = -{int(mib) * 1024}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; nests by joining the outer one."""
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self.conn
            finally:
                self._tx_depth -= 1
            return
        with self.turns.writing(), self._outermost() as conn:  # storage/write_turns.py
            yield conn

    @contextmanager
    def _outermost(self) -> Iterator[Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except DB_ERRORS as exc:
            raise classify(exc, self.path) from exc
        self._tx_depth = 1
        try:
            yield self.conn
        except BaseException as exc:
            self._tx_depth = 0
            self._rollback()
            if isinstance(exc, DB_ERRORS):
                raise classify(exc, self.path) from exc
            raise
        else:
            self._tx_depth = 0
            try:
                self.conn.execute("COMMIT")
            except DB_ERRORS as exc:
                self._rollback()
                raise classify(exc, self.path) from exc
            if self._upkeep is not None:
                self._upkeep.committed()

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except DB_ERRORS:
            pass

    def data_key(self) -> bytes:
        """The raw key, for key custody only (re-wrapping under a new passphrase)."""
        return self._key

    @property
    def in_transaction(self) -> bool:
        return self._tx_depth > 0

    # -- the unit of work's repositories ------------------------------------------------------
    @functools.cached_property
    def reads(self) -> ReadRepo:
        from alpr_desktop.storage.reads import ReadRepo

        return ReadRepo(self)

    @functools.cached_property
    def images(self) -> ImageRepo:
        from alpr_desktop.storage.reads import ImageRepo

        return ImageRepo(self)

    @functools.cached_property
    def segments(self) -> ImageSegments:
        """This connection's image segment files (storage/image_segments.py)."""
        from alpr_desktop.storage.image_segments import ImageSegments

        return ImageSegments(self.path)

    @functools.cached_property
    def cameras(self) -> CameraRepo:
        from alpr_desktop.storage.reads import CameraRepo

        return CameraRepo(self)

    @functools.cached_property
    def accounts(self) -> AccountRepo:
        from alpr_desktop.storage.accounts import AccountRepo

        return AccountRepo(self)

    @functools.cached_property
    def account_requests(self) -> AccountRequestRepo:
        from alpr_desktop.storage.account_requests import AccountRequestRepo

        return AccountRequestRepo(self)

    @functools.cached_property
    def purposes(self) -> PurposeRepo:
        from alpr_desktop.storage.purposes import PurposeRepo

        return PurposeRepo(self)

    @functools.cached_property
    def permissions(self) -> PermissionRepo:
        from alpr_desktop.storage.permissions import PermissionRepo

        return PermissionRepo(self)

    @functools.cached_property
    def access_log(self) -> AccessLogRepo:
        from alpr_desktop.storage.access_log import AccessLogRepo

        return AccessLogRepo(self)

    @functools.cached_property
    def audit(self) -> AuditQueries:
        from alpr_desktop.storage.audit_queries import AuditQueries

        return AuditQueries(self)

    @functools.cached_property
    def settings(self) -> SettingsRepo:
        from alpr_desktop.storage.settings_repo import SettingsRepo

        return SettingsRepo(self)

    @functools.cached_property
    def import_state(self) -> ImportStateRepo:
        from alpr_desktop.storage.import_state import ImportStateRepo

        return ImportStateRepo(self)

    @functools.cached_property
    def checkpoints(self) -> CheckpointRepo:
        from alpr_desktop.storage.checkpoints import CheckpointRepo

        return CheckpointRepo(self)

    @functools.cached_property
    def search(self) -> SqlCipherPlateSearch:
        from alpr_desktop.storage.plate_search import SqlCipherPlateSearch

        return SqlCipherPlateSearch(self)

    @property
    def custody_path(self) -> Path | None:
        """The file the key custody files sit beside (UnitOfWork.custody_path)."""
        return self.path

    @property
    def location(self) -> str:
        """The store file, for reports and messages."""
        return str(self.path)

    # -- small helpers used by repositories ---------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except DB_ERRORS as exc:
            raise classify(exc, self.path) from exc

    def query_one(self, sql: str, params: tuple | dict = ()) -> tuple | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        """The first column of the first row (a count, a max): the query must return a row."""
        row = self.query_one(sql, params)
        if row is None:
            raise StoreError("The store answered a count with no row.", path=self.path)
        return row[0]

    def execute(self, sql: str, params: tuple | dict = ()) -> Any:
        try:
            return self.conn.execute(sql, params)
        except DB_ERRORS as exc:
            raise classify(exc, self.path) from exc

    # -- settings and identity -----------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def page_size(self) -> int:
        return self.cipher_format.page_size

    @property
    def store_id(self) -> str:
        """Written once when the store is created and never changed, so read once per
        connection: every gated call asks for it (the session registry), three times a
        search."""
        if not self._store_id:
            self._store_id = self.get_setting("store_id") or ""
        return self._store_id

    @property
    def is_demo(self) -> bool:
        return self.get_setting("demo") == "1"

    def schema_version(self) -> int:
        try:
            return _current_version(self.conn)
        except DB_ERRORS as exc:
            raise classify(exc, self.path) from exc

    # -- session 4 (seam): the session-3 repositories and interrupting a query ----------------
    @functools.cached_property
    def retention(self) -> RetentionRepo:
        from alpr_desktop.storage.retention import RetentionRepo

        return RetentionRepo(self)

    @functools.cached_property
    def holds(self) -> HoldRepo:
        from alpr_desktop.storage.holds import HoldRepo

        return HoldRepo(self)

    @functools.cached_property
    def oversight_reviews(self) -> ReviewRepo:
        from alpr_desktop.storage.oversight import ReviewRepo

        return ReviewRepo(self)

    @functools.cached_property
    def oversight_queries(self) -> OversightQueries:
        from alpr_desktop.storage.oversight import OversightQueries

        return OversightQueries(self)

    @functools.cached_property
    def training(self) -> TrainingRepo:
        from alpr_desktop.storage.training import TrainingRepo

        return TrainingRepo(self)

    @functools.cached_property
    def suspensions(self) -> SuspensionRepo:
        from alpr_desktop.storage.training import SuspensionRepo

        return SuspensionRepo(self)

    @functools.cached_property
    def incidents(self) -> IncidentRepo:
        from alpr_desktop.storage.incidents import IncidentRepo

        return IncidentRepo(self)

    @functools.cached_property
    def transparency(self) -> TransparencyQueries:
        from alpr_desktop.storage.transparency_queries import TransparencyQueries

        return TransparencyQueries(self)

    def interrupt(self) -> None:
        """Abort the statement running on this connection (sqlite3_interrupt: safe from any
        thread); it raises in the thread that runs it."""
        self.conn.interrupt()
    @functools.cached_property
    def agencies(self) -> AgencyRepo:
        from alpr_desktop.storage.agencies import AgencyRepo

        return AgencyRepo(self)

    @functools.cached_property
    def sharing(self) -> SharingRepo:
        from alpr_desktop.storage.sharing import SharingRepo

        return SharingRepo(self)
    # -- offline review extracts (issue 15) ----------------------------------------------------
    @functools.cached_property
    def extract_releases(self) -> ExtractReleaseRepo:
        from alpr_desktop.storage.extract_releases import ExtractReleaseRepo

        return ExtractReleaseRepo(self)

    @functools.cached_property
    def extract_content(self) -> ExtractContentRepo:
        from alpr_desktop.storage.extract_store import ExtractContentRepo

        return ExtractContentRepo(self)
    @functools.cached_property
    def maintenance(self) -> MaintenanceRepo:
        from alpr_desktop.storage.maintenance import MaintenanceRepo

        return MaintenanceRepo(self)

    @functools.cached_property
    def health(self) -> HealthQueries:
        from alpr_desktop.storage.health_queries import HealthQueries

        return HealthQueries(self)

    @functools.cached_property
    def corrections(self) -> CorrectionRepo:
        from alpr_desktop.storage.corrections import CorrectionRepo

        return CorrectionRepo(self)
    @functools.cached_property
    def investigator_views(self) -> InvestigatorViewsRepo:
        from alpr_desktop.storage.investigator_views import InvestigatorViewsRepo

        return InvestigatorViewsRepo(self)
    @functools.cached_property
    def travel_analysis(self) -> TravelAnalysisRepo:
        from alpr_desktop.storage.travel_analysis import TravelAnalysisRepo

        return TravelAnalysisRepo(self)

    @functools.cached_property
    def location_analysis(self) -> LocationAnalysisRepo:
        from alpr_desktop.storage.location_analysis import LocationAnalysisRepo

        return LocationAnalysisRepo(self)

    @functools.cached_property
    def log_archive(self) -> LogArchiveRepo:
        from alpr_desktop.storage.log_archive import LogArchiveRepo

        return LogArchiveRepo(self)

    @functools.cached_property
    def purge_watch(self) -> PurgeWatchRepo:
        from alpr_desktop.storage.purge_watch import PurgeWatchRepo

        return PurgeWatchRepo(self)

    @functools.cached_property
    def turns(self) -> WriteTurns:
        """This process's turns at this store's write lock (storage/write_turns.py)."""
        from alpr_desktop.storage.write_turns import turns_for

        return turns_for(self.path)

    @functools.cached_property
    def oversight_state(self) -> OversightStateRepo:
        from alpr_desktop.storage.oversight_state import OversightStateRepo

        return OversightStateRepo(self)

    @functools.cached_property
    def read_grams(self) -> ReadGrams:
        """The recent reads' trigram postings, kept after imports (storage/read_grams.py)."""
        from alpr_desktop.storage.read_grams import ReadGrams

        return ReadGrams(self)


def _formats(path: Path, known: CipherFormat | None, plain: bool) -> tuple[CipherFormat, ...]:
    """The formats to try, in order: the one this store was opened with before (a worker's
    reopen), else for an existing encrypted file today's and then the earlier ones; a new
    file gets today's."""
    if known:
        return (known,)
    if plain or not path.exists() or path.stat().st_size == 0:
        return (STORE_FORMAT,)
    return (STORE_FORMAT, *(f for f in EARLIER_FORMATS if f != STORE_FORMAT))


def _connect(path: Path, key: bytes, busy_timeout_ms: int, *, plain: bool,
             fmt: CipherFormat | None = None) -> Connection:
    """A connection with the key and pragmas applied; page 1 has been read (and so the key
    checked) before anything is written. An encrypted file whose format is not known is
    tried with each format a store has had (SQLCipher cannot read it from the file): a wrong
    format fails like a wrong key, on page 1, before anything is written."""
    formats = _formats(path, fmt, plain)
    for i, candidate in enumerate(formats):
        try:
            return _connect_as(path, key, busy_timeout_ms, plain=plain, fmt=candidate)
        except StoreError as exc:
            if i == len(formats) - 1 or not isinstance(exc, WrongKey | NotAStore):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _connect_as(path: Path, key: bytes, busy_timeout_ms: int, *, plain: bool,
                fmt: CipherFormat) -> Connection:
    # The plain benchmark baseline runs on the same SQLite build (SQLCipher's, without a
    # key: plain SQLite), so that it measures the cipher and nothing else; Python's own
    # sqlite3 is another SQLite version, with its own planner and speeds (issue 20).
    if not plain and len(key) != KEY_BYTES:
        raise ValueError("a store key is exactly 32 bytes")
    try:
        conn = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )
    except DB_ERRORS as exc:
        raise classify(exc, path) from exc
    try:
        if plain:
            conn.execute(f"PRAGMA page_size = {fmt.page_size}")  # same layout as a store
        else:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute(f"PRAGMA cipher_page_size = {fmt.page_size}")
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {fmt.hmac}")
        # The first read decrypts page 1: a wrong key or a foreign file fails here.
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # Migration 0014 recomputes camera name keys with the program's own function.
        conn.create_function("alpr_camera_key", 1, camera_key, deterministic=True)
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        if not tables:
            # A new file only (on a store the pragma writes page 1 at every open): before WAL
            # and the first table, or it never takes. Freed pages (a purge) can then be handed
            # back to the file system with PRAGMA incremental_vacuum (services/retention.py).
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"Could not switch the store to WAL (got {mode}).", path=path)
    except DB_ERRORS as exc:
        conn.close()
        raise classify(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _applied_versions(conn: Connection) -> set[int]:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has:
        return set()
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_version").fetchall()}


def _current_version(conn: Connection) -> int:
    return max(_applied_versions(conn), default=0)


# Told (done, total) before each migration an opening store is about to apply, on the thread
# that opens it: a migration that rebuilds a table (0025: the access log, ~15 s per million
# entries) runs inside "signing in", and the sign-in dialog says the store is being updated.
MIGRATING: ContextVar[Callable[[int, int], object] | None] = ContextVar("migrating",
                                                                      default=None)


def _migrate(conn: Connection, path: Path) -> None:
    """Apply every shipped migration the store has not had, in number order, each in its own
    transaction. Numbers are handed out to parallel lines of work, so a lower number can ship
    after a higher one: a store is brought up to date by what it lacks, not by its highest
    number. A store newer than the program is refused before anything is written."""
    known = _load_migrations()
    try:
        applied = _applied_versions(conn)
    except DB_ERRORS as exc:
        raise classify(exc, path) from exc
    current = max(applied, default=0)
    newest = known[-1].version
    if current > newest:
        raise NewerSchema(
            f"This store has schema version {current}; this program understands up to "
            f"{newest}. It was written by a newer version of the program.",
            path=path,
        )
    pending = [m for m in known if m.version not in applied]
    tell = MIGRATING.get()
    for done, mig in enumerate(pending):
        if tell is not None:
            tell(done, len(pending))
        script = (
            "BEGIN IMMEDIATE;\n"
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL);\n"
            f"{mig.sql}\n"
            f"INSERT INTO schema_version(version, name, applied_ms) "
            f"VALUES ({mig.version}, '{mig.name}', {int(time.time() * 1000)});\n"
            "COMMIT;"
        )
        try:
            conn.executescript(script)
        except DB_ERRORS as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise classify(exc, path) from exc


def _check_existing(path: Path, *, plain: bool) -> None:
    """Refuse, without opening it, a file that cannot be a store. SQLite would happily turn
    an empty file into a new database, which must never happen to a file the user picked."""
    if not path.is_file():
        raise NotAStore(f"No store at {path}.", path=path)
    if not plain:
        problem = sniff_foreign_file(path)
        if problem is not None:
            raise problem


def _open(path: Path, key: bytes, busy_timeout_ms: int, *, plain: bool,
          fmt: CipherFormat | None = None) -> Store:
    _check_existing(path, plain=plain)
    conn = _connect(path, key, busy_timeout_ms, plain=plain, fmt=fmt)
    try:
        if not plain and path.stat().st_size % _page_size(conn):
            # The key opened page 1, so this is our store, cut short.
            raise StoreCorrupt("The store file is truncated or damaged.", path=path)
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return Store(path, conn, key, busy_timeout_ms=busy_timeout_ms, plain=plain)


def _page_size(conn: Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def _format(conn: Connection, plain: bool) -> CipherFormat:
    """The format a connection opened its store with."""
    hmac = "" if plain else str(conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0])
    return CipherFormat(_page_size(conn), hmac)


def _owner_only(path: Path) -> None:
    """Encrypted or not, a store is nobody else's business: owner read/write only (the WAL and
    shared-memory files SQLite creates later take the main file's mode)."""
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            os.chmod(part, 0o600)


def _create(path: Path, key: bytes, demo: bool, busy_timeout_ms: int, *, plain: bool) -> Store:
    if path.exists():
        raise StoreError(f"{path} already exists; choose another name.", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, key, busy_timeout_ms, plain=plain)
    try:
        _migrate(conn, path)
        _owner_only(path)
        store = Store(path, conn, key, busy_timeout_ms=busy_timeout_ms, plain=plain)
        with store.transaction() as c:
            c.executemany(
                "INSERT INTO settings(key, value) VALUES (?, ?)",
                [
                    ("store_id", str(uuid.uuid4())),
                    ("created_ms", str(int(time.time() * 1000))),
                    ("demo", "1" if demo else "0"),
                ],
            )
    except BaseException:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return store


def open_store(
    path: Path | str, key: bytes, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Store:
    """Open an existing store, migrating it forward; refuse one newer than the program.

    Raises NotAStore, WrongKey, StoreCorrupt, NewerSchema, StoreBusy or DiskFull; a refused
    file is left exactly as it was."""
    return _open(Path(path), key, busy_timeout_ms, plain=False)


def create_store(
    path: Path | str,
    key: bytes,
    demo: bool = False,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> Store:
    """Create a new, empty store at ``path``; refuses to overwrite anything."""
    return _create(Path(path), key, demo, busy_timeout_ms, plain=False)


def _create_plain_store_for_benchmark(path: Path | str) -> Store:
    """An UNENCRYPTED store with the same SQLite build, schema, pragmas and repository code
    (SQLCipher's SQLite with no key): the baseline that benchmarks measure the cost of
    encryption against. Never used by the program."""
    return _create(Path(path), b"", False, DEFAULT_BUSY_TIMEOUT_MS, plain=True)
