"""Creating, reopening and migrating stores; pragmas; no plaintext on disk."""

from __future__ import annotations

import secrets
import stat
from pathlib import Path

import pytest

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage import NewerSchema, Store, StoreError, create_store, db, open_store
from alpr_desktop.storage.db import (
    CIPHER_PAGE_SIZE,
    EARLIER_FORMATS,
    STORE_FORMAT,
    CipherFormat,
    _create_plain_store_for_benchmark,
    latest_version,
    migrations,
)
from alpr_desktop.storage.errors import WrongKey
from alpr_desktop.storage.reads import CameraRepo, ReadRepo


def _snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file of a store (main, -wal, -shm, key file)."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(path.parent.iterdir())
        if p.name.startswith(path.name)
    }


def test_create_then_reopen_keeps_identity(store_path: Path, key: bytes) -> None:
    s = create_store(store_path, key, demo=True)
    sid = s.store_id
    assert len(sid) == 36
    assert s.is_demo
    s.close()
    with open_store(store_path, key) as again:
        assert again.store_id == sid
        assert again.is_demo


def test_demo_flag_defaults_off(store: Store) -> None:
    assert not store.is_demo


def test_create_refuses_an_existing_file(store: Store, store_path: Path, key: bytes) -> None:
    with pytest.raises(StoreError, match="already exists"):
        create_store(store_path, key)


def test_create_refuses_a_short_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        create_store(tmp_path / "s.alprdb", b"short")
    assert not (tmp_path / "s.alprdb").exists()


def test_migrations_recorded_once_and_reopen_is_idempotent(
    store: Store, store_path: Path, key: bytes
) -> None:
    expected = [(m.version, m.name) for m in migrations()]
    assert expected[0] == (1, "initial")
    rows = store.query("SELECT version, name, applied_ms FROM schema_version ORDER BY version")
    assert [(v, n) for v, n, _ in rows] == expected
    assert store.schema_version() == latest_version()
    store.close()
    for _ in range(2):
        with open_store(store_path, key) as again:
            assert again.query(
                "SELECT version, name, applied_ms FROM schema_version ORDER BY version"
            ) == rows


def test_pragmas_on_every_connection(store: Store) -> None:
    worker = store.reopen()
    for s in (store, worker):
        assert s.query_one("PRAGMA foreign_keys")[0] == 1
        assert s.query_one("PRAGMA journal_mode")[0] == "wal"
        assert s.query_one("PRAGMA secure_delete")[0] == 1
        assert s.query_one("PRAGMA temp_store")[0] == 2  # MEMORY
        assert s.query_one("PRAGMA synchronous")[0] == 2  # FULL
        assert s.query_one("PRAGMA busy_timeout")[0] == 5000
        assert s.query_one("PRAGMA cache_size")[0] == -65536
        assert int(s.query_one("PRAGMA cipher_page_size")[0]) == CIPHER_PAGE_SIZE
        assert int(s.query_one("PRAGMA page_size")[0]) == CIPHER_PAGE_SIZE
    worker.close()


def test_busy_timeout_is_configurable(store_path: Path, key: bytes, store: Store) -> None:
    with open_store(store_path, key, busy_timeout_ms=250) as s:
        assert s.query_one("PRAGMA busy_timeout")[0] == 250
        with s.reopen() as worker:
            assert worker.query_one("PRAGMA busy_timeout")[0] == 250


def test_newer_schema_is_refused_and_left_alone(store: Store, store_path: Path, key: bytes) -> None:
    store.execute(
        "INSERT INTO schema_version(version, name, applied_ms) VALUES (9999, 'future', 0)"
    )
    store.close()
    before = _snapshot(store_path)
    with pytest.raises(NewerSchema, match="9999"):
        open_store(store_path, key)
    assert _snapshot(store_path) == before


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as c:
        c.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")
        raise RuntimeError("boom")
    assert store.get_setting("x") is None
    assert not store.in_transaction
    store.set_setting("x", "2")
    store.set_setting("x", "3")
    assert store.get_setting("x") == "3"


def test_nested_transaction_joins_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction() as c:
            c.execute("INSERT INTO settings(key, value) VALUES ('inner', '1')")
        raise RuntimeError("outer fails after the inner block ended")
    assert store.get_setting("inner") is None


def test_no_plaintext_in_store_files(store: Store, store_path: Path, camera_id: int) -> None:
    marker = "QZX9K7W"
    ReadRepo(store).insert_many(
        [NewRead(marker, 1_767_225_600 + i, camera_id, make="MARKERMAKE") for i in range(500)]
    )
    store.set_setting("marker_setting", "MARKERSETTING")
    files = [Path(f"{store_path}{s}") for s in ("", "-wal", "-shm")]
    assert files[1].exists()  # WAL mode: the log holds recent pages
    for f in files:
        data = f.read_bytes()
        for needle in (marker, "MARKERMAKE", "MARKERSETTING", "CAM-7", "CREATE TABLE"):
            assert needle.encode() not in data, f"{needle} in {f.name}"
    assert not files[0].read_bytes().startswith(b"SQLite format 3")
    store.close()
    data = store_path.read_bytes()
    assert marker.encode() not in data
    assert b"CREATE TABLE" not in data


def test_plain_store_runs_the_same_code_unencrypted(tmp_path: Path, key: bytes) -> None:
    """The benchmark baseline really is plaintext, so the comparison means something."""
    from alpr_desktop.core.models import Camera
    from alpr_desktop.storage.reads import CameraRepo

    s = _create_plain_store_for_benchmark(tmp_path / "plain.sqlite")
    # The same SQLite build as a store (SQLCipher's, no key): only the cipher differs.
    enc = create_store(tmp_path / "enc.alprdb", key)
    assert s.scalar("SELECT sqlite_version()") == enc.scalar("SELECT sqlite_version()")
    enc.close()
    cam = CameraRepo(s).add(Camera(None, "C"))
    assert ReadRepo(s).insert_many([NewRead("PLAIN1", 1, cam)]) == [1]
    with s.reopen() as again:
        assert ReadRepo(again).count() == 1
    s.close()
    assert (tmp_path / "plain.sqlite").read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(StoreError):  # and it is never taken for a store
        open_store(tmp_path / "plain.sqlite", secrets.token_bytes(32))


def test_new_store_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.alprdb"
    with create_store(path, secrets.token_bytes(32)) as s:
        s.set_setting("probe", "1")
        for suffix in ("", "-wal", "-shm"):
            part = tmp_path / f"private.alprdb{suffix}"
            if part.exists():
                assert stat.S_IMODE(part.stat().st_mode) == 0o600, part.name


def test_a_kept_search_connection_keeps_more_pages_and_only_its_own(store: Store) -> None:
    """Issue 20: the search view's connection keeps SEARCH_CACHE_MIB of decrypted pages; the
    cache only grows, and other connections keep the default."""
    from alpr_desktop.services.search import SEARCH_CACHE_MIB, SearchService

    other = store.reopen()
    try:
        SearchService(store).keep_pages_cached()
        assert store.query_one("PRAGMA cache_size")[0] == -SEARCH_CACHE_MIB * 1024
        store.enlarge_page_cache(16)  # never shrinks
        assert store.query_one("PRAGMA cache_size")[0] == -SEARCH_CACHE_MIB * 1024
        assert other.query_one("PRAGMA cache_size")[0] == -65536
    finally:
        other.close()


@pytest.mark.parametrize("made_with", [STORE_FORMAT, *EARLIER_FORMATS],
                         ids=lambda f: f"{f.page_size}-{f.hmac}")
def test_a_store_of_any_format_opens_reads_and_reopens_for_workers(
    tmp_path: Path, key: bytes, made_with: CipherFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLCipher cannot read the page size or the HMAC from the encrypted file: a store made
    in another format than today's (an earlier version's) is found by trying each, and its
    workers' connections open with the format found."""
    path = tmp_path / "s.alprdb"
    with monkeypatch.context() as m:
        m.setattr(db, "STORE_FORMAT", made_with)
        s = create_store(path, key)
        cam = CameraRepo(s).add(Camera(None, "CAM-1", "Carson"))
        ReadRepo(s).insert_many([NewRead("7ABC123", 1_700_000_000, cam)])
        sid = s.store_id
        s.close()
    assert path.stat().st_size % made_with.page_size == 0
    with open_store(path, key) as again:
        assert again.cipher_format == made_with
        assert int(again.scalar("PRAGMA cipher_page_size")) == made_with.page_size
        assert again.scalar("PRAGMA cipher_hmac_algorithm") == made_with.hmac
        assert again.store_id == sid
        assert again.scalar("SELECT count(*) FROM reads") == 1
        worker = again.reopen()
        try:
            assert worker.cipher_format == made_with
            assert worker.scalar("SELECT plate FROM reads") == "7ABC123"
        finally:
            worker.close()


def test_new_stores_are_made_in_todays_format(store: Store) -> None:
    assert store.cipher_format == STORE_FORMAT == CipherFormat(4096, "HMAC_SHA256")


def test_a_wrong_key_is_still_a_wrong_key_after_every_page_size(
    store: Store, store_path: Path
) -> None:
    store.close()
    before = _snapshot(store_path)
    with pytest.raises(WrongKey):
        open_store(store_path, secrets.token_bytes(32))
    assert _snapshot(store_path) == before


def test_an_opening_store_tells_each_migration_it_applies(
        tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """db.MIGRATING hears (done, total) before each pending migration, on the opening
    thread only, and nothing when the store is up to date."""
    path = tmp_path / "old.alprdb"
    everything = db._load_migrations()
    monkeypatch.setattr(db, "_load_migrations", lambda: everything[:-2])
    create_store(path, key).close()
    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    heard: list[tuple[int, int]] = []
    token = db.MIGRATING.set(lambda done, total: heard.append((done, total)))
    try:
        open_store(path, key).close()
        assert heard == [(0, 2), (1, 2)]
        heard.clear()
        open_store(path, key).close()
        assert heard == []
    finally:
        db.MIGRATING.reset(token)
