"""Open and create SQLCipher 4 stores with a raw 256-bit key, pragmas and migrations."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import sqlcipher3

from alpr_desktop.storage.errors import NewerSchema, NotAStore, StoreError, classify

KEY_BYTES = 32
STORE_SUFFIX = ".alprdb"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Applied after the key on every connection. temp_store=MEMORY keeps sorts and temp tables off
# disk, where they would not be encrypted.
_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA cache_size = -65536",
    "PRAGMA synchronous = FULL",
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The numbered migrations shipped with the program, in order."""
    found = []
    for entry in resources.files("alpr_desktop.storage.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda mg: mg.version)
    return found


def latest_version() -> int:
    return migrations()[-1].version


class Store:
    """One connection to an open store. Not shared across threads: workers open their own."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection, key: bytes) -> None:
        self.path = path
        self.conn = conn
        self._key = key
        self._tx_depth = 0
        self._owner = threading.get_ident()

    # -- lifecycle -----------------------------------------------------------------------
    def reopen(self) -> Store:
        """A new connection to the same store, for a worker thread."""
        return open_store(self.path, self._key)

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlcipher3.Error:
            pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error; nests by joining the outer one."""
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self.conn
            finally:
                self._tx_depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.Error as exc:
            raise classify(exc, self.path) from exc
        self._tx_depth = 1
        try:
            yield self.conn
        except BaseException as exc:
            self._tx_depth = 0
            try:
                self.conn.execute("ROLLBACK")
            except sqlcipher3.Error:
                pass
            if isinstance(exc, sqlcipher3.Error):
                raise classify(exc, self.path) from exc
            raise
        else:
            self._tx_depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlcipher3.Error as exc:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlcipher3.Error:
                    pass
                raise classify(exc, self.path) from exc

    def data_key(self) -> bytes:
        """The raw key, for key custody only (re-wrapping under a new passphrase)."""
        return self._key

    @property
    def in_transaction(self) -> bool:
        return self._tx_depth > 0

    # -- small helpers used by repositories ---------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlcipher3.Error as exc:
            raise classify(exc, self.path) from exc

    def query_one(self, sql: str, params: tuple | dict = ()) -> tuple | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlcipher3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlcipher3.Error as exc:
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
    def store_id(self) -> str:
        return self.get_setting("store_id") or ""

    @property
    def is_demo(self) -> bool:
        return self.get_setting("demo") == "1"

    def schema_version(self) -> int:
        return _current_version(self.conn)


def _connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    if len(key) != KEY_BYTES:
        raise ValueError("a store key is exactly 32 bytes")
    try:
        conn = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=5.0
        )
    except sqlcipher3.Error as exc:
        raise classify(exc, path) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # The first read decrypts page 1: a wrong key or a foreign file fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"Could not switch the store to WAL (got {mode}).", path=path)
    except sqlcipher3.Error as exc:
        conn.close()
        raise classify(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _current_version(conn: sqlcipher3.Connection) -> int:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _migrate(conn: sqlcipher3.Connection, path: Path) -> None:
    known = migrations()
    current = _current_version(conn)
    newest = known[-1].version
    if current > newest:
        raise NewerSchema(
            f"This store has schema version {current}; this program understands up to "
            f"{newest}. It was written by a newer version of the program.",
            path=path,
        )
    for mig in known:
        if mig.version <= current:
            continue
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
        except sqlcipher3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise classify(exc, path) from exc


def open_store(path: Path | str, key: bytes) -> Store:
    """Open an existing store, migrating it forward; refuse one newer than the program."""
    path = Path(path)
    if not path.is_file():
        raise NotAStore(f"No store at {path}.", path=path)
    conn = _connect(path, key)
    try:
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return Store(path, conn, key)


def create_store(path: Path | str, key: bytes, *, demo: bool = False) -> Store:
    """Create a new, empty store at ``path``; refuses to overwrite anything."""
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path} already exists; choose another name.", path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, key)
    try:
        _migrate(conn, path)
        store = Store(path, conn, key)
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
