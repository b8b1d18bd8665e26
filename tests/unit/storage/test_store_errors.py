"""SQLite failures come out as typed errors, and a refused file is left exactly as it was."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from alpr_desktop.core.models import NewRead
from alpr_desktop.storage import (
    DiskFull,
    NotAStore,
    Store,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    WrongKey,
    open_store,
)
from alpr_desktop.storage.db import CIPHER_PAGE_SIZE
from alpr_desktop.storage.errors import AppendOnlyViolation, classify
from alpr_desktop.storage.reads import ReadRepo


def _files(path: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(path.parent.iterdir())
        if p.name.startswith(path.name)
    }


@pytest.fixture
def closed_store(store: Store, store_path: Path, camera_id: int) -> Path:
    """A closed store of several pages (WAL checkpointed away), ready to be damaged."""
    ReadRepo(store).insert_many(
        [NewRead(f"T{i:06d}", 1_767_225_600 + i, camera_id) for i in range(3000)]
    )
    store.close()
    assert not Path(f"{store_path}-wal").exists()
    assert store_path.stat().st_size >= 8 * CIPHER_PAGE_SIZE
    return store_path


def test_wrong_key_is_refused_and_changes_nothing(closed_store: Path) -> None:
    before = _files(closed_store)
    with pytest.raises(WrongKey) as err:
        open_store(closed_store, secrets.token_bytes(32))
    assert err.value.path == closed_store
    assert _files(closed_store) == before  # no -wal / -shm left, bytes and mtime unchanged


def test_right_key_still_opens_after_a_wrong_one(closed_store: Path, key: bytes) -> None:
    with pytest.raises(WrongKey):
        open_store(closed_store, secrets.token_bytes(32))
    with open_store(closed_store, key) as s:
        assert ReadRepo(s).count() == 3000


def test_missing_file_is_not_a_store(tmp_path: Path, key: bytes) -> None:
    with pytest.raises(NotAStore):
        open_store(tmp_path / "nothing.alprdb", key)
    assert not (tmp_path / "nothing.alprdb").exists()


def test_directory_is_not_a_store(tmp_path: Path, key: bytes) -> None:
    with pytest.raises(NotAStore):
        open_store(tmp_path, key)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"case notes\nplate 7ABC123 seen twice\n" * 200, "text file"),
        (b"\x00\x01", "too small"),
        # random bytes that are not a whole number of pages: not a store (or a wrecked one)
        (secrets.token_bytes(3 * 4096 + 77), "not an ALPR store"),
    ],
    ids=["empty", "text", "tiny", "random-odd-size"],
)
def test_foreign_files_are_not_stores_and_stay_untouched(
    tmp_path: Path, key: bytes, content: bytes, words: str
) -> None:
    path = tmp_path / "picked.alprdb"
    path.write_bytes(content)
    before = _files(path)
    with pytest.raises(NotAStore, match=words):
        open_store(path, key)
    assert _files(path) == before


def test_plaintext_sqlite_file_is_not_a_store(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "plain.alprdb"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE reads(plate TEXT)")
    conn.close()
    before = _files(path)
    with pytest.raises(NotAStore, match="unencrypted SQLite"):
        open_store(path, key)
    assert _files(path) == before


def test_random_bytes_of_whole_pages_look_like_a_wrong_key(tmp_path: Path, key: bytes) -> None:
    """Without the key, random pages and another store's pages cannot be told apart."""
    path = tmp_path / "random.alprdb"
    path.write_bytes(b"\x80" + secrets.token_bytes(4 * CIPHER_PAGE_SIZE - 1))
    with pytest.raises(WrongKey):
        open_store(path, key)


@pytest.mark.parametrize("where", ["half-odd", "half-page", "last-page-partial", "one-page"])
def test_truncated_store_is_corrupt_with_the_right_key(
    closed_store: Path, key: bytes, where: str
) -> None:
    size = closed_store.stat().st_size
    cut = {
        "half-odd": size // 2 + 123,
        "half-page": (size // 2) // CIPHER_PAGE_SIZE * CIPHER_PAGE_SIZE,
        "last-page-partial": size - 100,
        "one-page": CIPHER_PAGE_SIZE,
    }[where]
    with closed_store.open("r+b") as fh:
        fh.truncate(cut)
    before = _files(closed_store)
    with pytest.raises(StoreCorrupt):
        open_store(closed_store, key)
    assert _files(closed_store) == before


def test_damaged_page_is_corrupt(closed_store: Path, key: bytes) -> None:
    """A flipped byte in a data page fails its HMAC: reported as damage, not a wrong key."""
    # The file's last page: the 3,000 reads were written last, so it holds reads rows or their
    # index, which the query below reads. (The middle page, chosen before, landed on a page
    # that neither the query nor quick_check reads once migration 0017 added a table; about a
    # tenth of this small store's pages are such, on main too: damage is found when read.)
    last = closed_store.stat().st_size // CIPHER_PAGE_SIZE - 1
    with closed_store.open("r+b") as fh:
        fh.seek(last * CIPHER_PAGE_SIZE + 100)
        b = fh.read(1)
        fh.seek(last * CIPHER_PAGE_SIZE + 100)
        fh.write(bytes([b[0] ^ 0xFF]))
    with pytest.raises(StoreCorrupt):
        s = open_store(closed_store, key)
        try:
            s.query("SELECT count(*), sum(recorded_at), max(plate) FROM reads")
            s.query("PRAGMA quick_check")
        finally:
            s.close()


def test_busy_store_raises_store_busy(store_path: Path, key: bytes, store: Store) -> None:
    with open_store(store_path, key, busy_timeout_ms=50) as a, a.reopen() as b:
        b.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy):
            a.set_setting("k", "v")
        assert not a.in_transaction
        b.execute("COMMIT")
        a.set_setting("k", "v")  # usable again once the other writer is done
        assert b.get_setting("k") == "v"


def test_full_store_raises_disk_full_and_keeps_nothing(store: Store, camera_id: int) -> None:
    pages = store.query_one("PRAGMA page_count")[0]
    store.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFull):
        ReadRepo(store).insert_many(
            [NewRead(f"F{i:06d}", i, camera_id) for i in range(20_000)]
        )
    assert ReadRepo(store).count() == 0
    assert store.query_one("SELECT count(*) FROM plates")[0] == 0


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (sqlcipher3.OperationalError("database is locked"), StoreBusy),
        (sqlcipher3.OperationalError("database or disk is full"), DiskFull),
        (sqlcipher3.DatabaseError("file is not a database"), WrongKey),
        (sqlcipher3.DatabaseError("database disk image is malformed"), StoreCorrupt),
        (sqlcipher3.IntegrityError("access_log is append-only"), AppendOnlyViolation),
        (sqlite3.OperationalError("database table is locked"), StoreBusy),
        (sqlite3.OperationalError("unable to open database file"), NotAStore),
        (sqlcipher3.OperationalError("no such table: nope"), StoreError),
    ],
)
def test_classify_by_message(exc: Exception, kind: type[StoreError]) -> None:
    got = classify(exc)
    assert type(got) is kind
    assert str(got)  # a sentence for the dialog


def test_classify_by_result_code(store: Store) -> None:
    """Real driver errors carry SQLite's result code, which wins over the wording."""
    with store.reopen() as other:
        other.execute("BEGIN IMMEDIATE")
        store.execute("PRAGMA busy_timeout = 0")
        try:
            store.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.Error as exc:
            assert exc.sqlite_errorcode & 0xFF == 5  # SQLITE_BUSY
            assert isinstance(classify(exc), StoreBusy)
        else:
            pytest.fail("the second writer was not refused")
        other.execute("ROLLBACK")


def test_store_errors_carry_advice() -> None:
    for kind in (WrongKey, NotAStore, StoreCorrupt, StoreBusy, DiskFull):
        assert kind.advice and kind.advice != StoreError.advice

