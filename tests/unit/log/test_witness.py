"""The workstation's witness (issue 10 §2): an older copy of the store put back, or a log cut
short or rewritten, is reported on open (as a typed report and in the store's own log), even
by someone who never had the store key."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.security import witness as wfile
from alpr_desktop.services import witness
from alpr_desktop.services.witness import WitnessStatus
from alpr_desktop.storage import create_store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import insert_forged, rewrite_consistently, truncate_tail


def fill(store: Store, n: int, user: str = "officer") -> None:
    repo = AccessLogRepo(store)
    with store.transaction():
        for i in range(n):
            repo.append(LogEvent("search", "ok", user, query={"pattern": f"7ABC{i:03d}"}), i)


def mismatches(store: Store) -> list:
    return [e for e in AccessLogRepo(store).entries(limit=10_000)
            if e.event == "log.witness_mismatch"]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "w.alprdb"


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def seen_store(path: Path, key: bytes, clock: FixedClock) -> Store:
    """A store this workstation has opened and watched grow to 30 entries."""
    s = create_store(path, key)
    assert witness.check_on_open(s, clock).status is WitnessStatus.FIRST_SEEN
    fill(s, 30)
    assert witness.advance(s, clock)
    yield s
    s.close()


def test_first_open_records_the_head_owner_only(path: Path, key: bytes, clock: FixedClock,
                                                memory_keyring) -> None:
    with create_store(path, key) as s:
        fill(s, 5)
        report = witness.check_on_open(s, clock)
        assert report.status is WitnessStatus.FIRST_SEEN and not report.warning
        assert mismatches(s) == []
        sid = s.store_id
    f = wfile.witness_path()
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    d = json.loads(f.read_text())
    assert d["keyed"] == "keyring" and d["stores"][sid]["count"] == 5
    assert (wfile.KEYRING_SERVICE, wfile.KEYRING_NAME) in memory_keyring.secrets


def test_growth_is_witnessed_and_an_unchanged_store_opens_quietly(seen_store: Store,
                                                                  clock: FixedClock) -> None:
    fill(seen_store, 3)
    assert witness.advance(seen_store, clock)
    assert not witness.advance(seen_store, clock)  # nothing new: no write
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.OK and report.witnessed_count == 33


def test_an_older_copy_put_back_is_reported_once_and_logged(
        seen_store: Store, path: Path, key: bytes, clock: FixedClock, tmp_path: Path) -> None:
    seen_store.close()
    old = tmp_path / "old.alprdb"
    shutil.copyfile(path, old)
    with open_store(path, key) as s:
        fill(s, 12, user="hidden")
        witness.advance(s, clock)
    shutil.copyfile(old, path)  # no key needed to do this
    with open_store(path, key) as s:
        assert AccessLogRepo(s).verify().intact  # the chain alone is fooled
        report = witness.check_on_open(s, clock)
        assert report.status is WitnessStatus.ROLLED_BACK and report.warning
        assert "entries 31–42 are missing" in report.message
        assert "rolled back" in report.message
        logged = mismatches(s)
        assert len(logged) == 1 and logged[0].detail["witnessed_count"] == 42
        assert logged[0].detail["found_count"] == 30
        again = witness.check_on_open(s, clock)
        assert again.status is WitnessStatus.OK and len(mismatches(s)) == 1
    shutil.copyfile(old, path)  # and once more: the witness now holds the mismatch entry
    with open_store(path, key) as s:
        assert witness.check_on_open(s, clock).status is WitnessStatus.ROLLED_BACK


def test_a_consistent_rewrite_is_reported(seen_store: Store, clock: FixedClock) -> None:
    rewrite_consistently(seen_store, 12, {"username": "nobody"})
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.REWRITTEN
    assert "Entry #30" in report.message and "rewritten" in report.message


def test_truncation_is_reported(seen_store: Store, clock: FixedClock) -> None:
    truncate_tail(seen_store, 25)
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.ROLLED_BACK
    assert "entries 26–30 are missing" in report.message


def test_truncation_padded_with_forged_appends_is_reported(seen_store: Store,
                                                          clock: FixedClock) -> None:
    truncate_tail(seen_store, 20)
    repo = AccessLogRepo(seen_store)
    for i in range(15):
        seq, head = repo.head()
        insert_forged(seen_store, seq + 1, head, i)
    assert witness.check_on_open(seen_store, clock).status is WitnessStatus.REWRITTEN


def test_advance_does_not_move_past_a_mismatch(seen_store: Store, clock: FixedClock) -> None:
    truncate_tail(seen_store, 10)
    fill(seen_store, 40)
    assert not witness.advance(seen_store, clock)
    assert witness.check_on_open(seen_store, clock).status is WitnessStatus.REWRITTEN


def test_an_edited_witness_is_reported(seen_store: Store, clock: FixedClock) -> None:
    f = wfile.witness_path()
    d = json.loads(f.read_text())
    d["stores"][seen_store.store_id]["count"] = 3  # lower it, to hide a later rollback
    f.write_text(json.dumps(d))
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.WITNESS_ALTERED and report.warning
    assert mismatches(seen_store)[-1].detail["status"] == "witness_altered"


def test_a_deleted_witness_is_reported(seen_store: Store, clock: FixedClock) -> None:
    wfile.witness_path().unlink()
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.WITNESS_MISSING


def test_a_locked_keyring_is_told_and_changes_nothing(seen_store: Store, clock: FixedClock,
                                                      memory_keyring) -> None:
    before = wfile.witness_path().read_bytes()
    memory_keyring.locked = True
    truncate_tail(seen_store, 5)
    report = witness.check_on_open(seen_store, clock)
    assert report.status is WitnessStatus.UNAVAILABLE and not report.warning
    assert not witness.advance(seen_store, clock)
    assert wfile.witness_path().read_bytes() == before
    memory_keyring.locked = False
    assert witness.check_on_open(seen_store, clock).status is WitnessStatus.ROLLED_BACK


def test_without_a_keyring_the_witness_keys_itself_with_an_owner_only_file(
        path: Path, key: bytes, clock: FixedClock, memory_keyring, tmp_path: Path) -> None:
    memory_keyring.locked = True
    with create_store(path, key) as s:
        fill(s, 8)
        assert witness.check_on_open(s, clock).status is WitnessStatus.FIRST_SEEN
        sid = s.store_id
    assert json.loads(wfile.witness_path().read_text())["keyed"] == "file"
    key_file = wfile.witness_path().with_name(wfile.KEY_FILE_NAME)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with open_store(path, key) as s:
        truncate_tail(s, 4)
        report = witness.check_on_open(s, clock)
        assert report.status is WitnessStatus.ROLLED_BACK and report.store_id == sid
