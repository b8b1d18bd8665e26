"""The access log as an attacker with the store key would try to alter it."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import GENESIS_HASH, LogEvent, entry_digest
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.storage import create_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.errors import AppendOnlyViolation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import drop_protection, restore_protection

N = 10


def _event(i: int) -> LogEvent:
    return LogEvent(
        event="search",
        outcome="ok",
        username=f"analyst{i % 3}",
        organization="LASD Carson Station",
        agency="LASD",
        workstation="ws1/test",
        purpose={"category": "criminal_investigation", "case_number": f"123-45678-2026-{i:03d}",
                 "narrative": f"Robbery at 21900 S Avalon Blvd, entry {i}; seeking suspect car."},
        query={"pattern": f"7ABC{i:03d}", "mode": "exact", "filters": {"state": "CA"}},
        result_count=i,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = create_store(tmp_path / "log.alprdb", os.urandom(32))
    repo = AccessLogRepo(s)
    for i in range(1, N + 1):
        repo.append(_event(i), ts_ms=1_760_000_000_000 + i * 1000)
    yield s
    s.close()


def _drop_triggers(s: Store) -> None:
    drop_protection(s)


def _restore_triggers(s: Store) -> None:
    """An attacker who puts the triggers back, exactly as shipped, after tampering."""
    restore_protection(s)


def test_intact_chain_verifies(store: Store) -> None:
    res = AccessLogRepo(store).verify()
    assert res.intact
    assert res.checked == N
    assert res.head_seq == N
    assert res.head_hash == AccessLogRepo(store).head()[1]
    assert "Intact" in res.summary()


def test_empty_log_is_intact(tmp_path: Path) -> None:
    with create_store(tmp_path / "e.alprdb", os.urandom(32)) as s:
        res = AccessLogRepo(s).verify()
    assert res.intact and res.checked == 0 and res.head_hash == GENESIS_HASH


def test_append_links_each_entry_to_the_previous(store: Store) -> None:
    entries = AccessLogRepo(store).entries()
    assert [e.seq for e in entries] == list(range(1, N + 1))
    assert entries[0].prev_hash == GENESIS_HASH
    for a, b in itertools.pairwise(entries):
        assert b.prev_hash == a.hash
    assert entries[2].purpose["case_number"] == "123-45678-2026-003"
    assert entries[2].query["pattern"] == "7ABC003"


def test_update_and_delete_are_refused_by_triggers(store: Store) -> None:
    with pytest.raises(AppendOnlyViolation):
        store.execute("UPDATE access_log SET purpose = '{}' WHERE seq = 3")
    with pytest.raises(AppendOnlyViolation):
        store.execute("DELETE FROM access_log WHERE seq = 3")
    assert AccessLogRepo(store).verify().intact


def test_append_rolls_back_with_the_work(store: Store) -> None:
    repo = AccessLogRepo(store)
    with pytest.raises(RuntimeError), store.transaction():
        repo.append(_event(99), ts_ms=1)
        raise RuntimeError("the work failed")
    assert repo.count() == N
    assert repo.verify().intact


def test_dropped_triggers_are_reported(store: Store) -> None:
    _drop_triggers(store)
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert not res.protection_ok
    assert "protection" in res.reason


def test_changed_purpose_is_found_at_that_entry(store: Store) -> None:
    _drop_triggers(store)
    store.execute(
        "UPDATE access_log SET purpose = json_set(purpose, '$.narrative', 'personal') "
        "WHERE seq = 4"
    )
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert res.first_broken == 4
    assert "altered" in res.reason
    assert res.checked == 3


def test_changed_result_count_is_found(store: Store) -> None:
    _drop_triggers(store)
    store.execute("UPDATE access_log SET result_count = 0 WHERE seq = 7")
    _restore_triggers(store)
    assert AccessLogRepo(store).verify().first_broken == 7


def test_deleted_entry_is_named(store: Store) -> None:
    _drop_triggers(store)
    store.execute("DELETE FROM access_log WHERE seq = 5")
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert res.first_broken == 5
    assert "missing" in res.reason


def test_deleted_and_renumbered_entries_are_found(store: Store) -> None:
    """Closing the gap by renumbering later entries breaks their links."""
    _drop_triggers(store)
    store.execute("DELETE FROM access_log WHERE seq = 5")
    for seq in range(6, N + 1):
        store.execute("UPDATE access_log SET seq = ? WHERE seq = ?", (seq - 1, seq))
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert res.first_broken == 5
    assert "does not follow" in res.reason


def _forge(store: Store, seq: int, prev_hash: str, ts_ms: int) -> None:
    """Insert an entry with a correctly computed hash, as an attacker with the key could."""
    fields = (seq, ts_ms, "search", "ok", "mallory", "", "", "ws", "{}",
              '{"pattern":"1XYZ999"}', 1, "{}", prev_hash)
    store.execute(
        "INSERT INTO access_log(seq, ts_ms, event, outcome, username, organization, agency, "
        "workstation, purpose, query, result_count, detail, prev_hash, hash) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*fields, entry_digest(*fields)),
    )


def test_inserted_entry_with_forged_hash_is_found(store: Store) -> None:
    """Shift entries 4.. up by one and forge a valid-looking entry #4: entry #5 (the old #4)
    no longer follows it."""
    _drop_triggers(store)
    for seq in range(N, 3, -1):
        store.execute("UPDATE access_log SET seq = ? WHERE seq = ?", (seq + 1, seq))
    prev = store.query_one("SELECT hash FROM access_log WHERE seq = 3")[0]
    _forge(store, 4, prev, 1_760_000_003_500)
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert res.first_broken == 5
    assert res.checked == 4


def test_inserted_entry_with_naive_hash_is_found_at_itself(store: Store) -> None:
    _drop_triggers(store)
    for seq in range(N, 5, -1):
        store.execute("UPDATE access_log SET seq = ? WHERE seq = ?", (seq + 1, seq))
    prev = store.query_one("SELECT hash FROM access_log WHERE seq = 5")[0]
    store.execute(
        "INSERT INTO access_log(seq, ts_ms, event, outcome, username, prev_hash, hash) "
        "VALUES (6, 1, 'search', 'ok', 'mallory', ?, ?)",
        (prev, "f" * 64),
    )
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert res.first_broken == 6
    assert "altered" in res.reason


def test_reordered_entries_are_found(store: Store) -> None:
    """Swap the contents of entries 3 and 6 (keeping their positions)."""
    _drop_triggers(store)
    store.execute("UPDATE access_log SET seq = -3 WHERE seq = 3")
    store.execute("UPDATE access_log SET seq = 3 WHERE seq = 6")
    store.execute("UPDATE access_log SET seq = 6 WHERE seq = -3")
    _restore_triggers(store)
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert res.first_broken == 3


def test_reordered_timestamps_are_found(store: Store) -> None:
    _drop_triggers(store)
    a, b = (store.query_one("SELECT ts_ms FROM access_log WHERE seq = ?", (s,))[0] for s in (2, 8))
    store.execute("UPDATE access_log SET ts_ms = ? WHERE seq = 2", (b,))
    store.execute("UPDATE access_log SET ts_ms = ? WHERE seq = 8", (a,))
    _restore_triggers(store)
    assert AccessLogRepo(store).verify().first_broken == 2


def test_verify_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    with create_store(tmp_path / "big.alprdb", os.urandom(32)) as s:
        repo = AccessLogRepo(s)
        with s.transaction():
            for i in range(20_001):
                repo.append(_event(i), ts_ms=i)
        seen: list[int] = []
        res = repo.verify(progress=lambda n: seen.append(n))
        assert res.intact and res.checked == 20_001
        assert seen == [10_000, 20_000]
        with pytest.raises(Cancelled):
            repo.verify(progress=lambda n: False)
