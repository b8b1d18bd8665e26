"""The in-store holes of issue 10 §2, played by a key holder with plain SQL: INSERT OR REPLACE
(whose conflict resolution deletes without firing the DELETE trigger), appends out of place,
and triggers that keep their names but no longer protect anything. Each passed unnoticed
before migration 0006 and the SQL comparison."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.storage import create_store
from alpr_desktop.storage.access_log import AccessLogRepo, expected_triggers
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.errors import AppendOnlyViolation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import drop_protection, insert_forged, restore_protection

N = 8


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = create_store(tmp_path / "t.alprdb", os.urandom(32))
    repo = AccessLogRepo(s)
    for i in range(1, N + 1):
        repo.append(LogEvent("search", "ok", f"analyst{i % 2}", query={"pattern": f"7ABC{i}"}),
                    ts_ms=1_760_000_000_000 + i)
    yield s
    s.close()


def _rows(s: Store) -> list[tuple]:
    return s.query("SELECT * FROM access_log ORDER BY seq")


def test_insert_or_replace_of_the_last_entry_is_refused(store: Store) -> None:
    """A correctly hashed replacement of the newest entry would pass the chain walk."""
    before = _rows(store)
    prev = AccessLogRepo(store).hash_at(N - 1)
    with pytest.raises(AppendOnlyViolation):
        insert_forged(store, N, prev, 1, verb="INSERT OR REPLACE")
    assert _rows(store) == before
    assert AccessLogRepo(store).verify().intact


def test_insert_or_replace_cannot_delete_through_a_duplicate_hash(store: Store) -> None:
    """Entry #3's hash on a forged head entry: with no unique constraint on the hash
    (migration 0025) REPLACE has nothing to conflict on, so entry #3 stays; the forged entry
    lands on the head and the chain walk refuses it there (its hash is not its own)."""
    repo = AccessLogRepo(store)
    victim = repo.hash_at(3)
    before = _rows(store)
    head = repo.head()[1]
    store.execute(
        "INSERT OR REPLACE INTO access_log(seq, ts_ms, event, outcome, username, "
        "prev_hash, hash) VALUES (?, 1, 'x', 'ok', 'm', ?, ?)", (N + 1, head, victim))
    assert _rows(store)[:N] == before  # nothing deleted, nothing changed
    result = repo.verify()
    assert not result.intact
    assert result.first_broken == N + 1


@pytest.mark.parametrize("verb", ["INSERT", "INSERT OR IGNORE", "INSERT OR REPLACE",
                                  "INSERT OR FAIL", "REPLACE"])
def test_appends_out_of_place_are_refused(store: Store, verb: str) -> None:
    repo = AccessLogRepo(store)
    head_seq, head = repo.head()
    before = _rows(store)
    for seq, prev in ((head_seq + 2, head), (head_seq + 1, repo.hash_at(2)), (2, repo.hash_at(1)),
                      (0, "0" * 64)):
        with pytest.raises(AppendOnlyViolation):
            insert_forged(store, seq, prev, 5, verb=verb)
    assert _rows(store) == before


def test_the_next_entry_on_the_head_is_accepted(store: Store) -> None:
    """The trigger lets the program (and anyone) append properly; checkpoints and the
    witness, not the trigger, are what a key holder cannot get around."""
    head_seq, head = AccessLogRepo(store).head()
    insert_forged(store, head_seq + 1, head, 9)
    assert AccessLogRepo(store).verify().intact


def test_shipped_triggers_verify_as_intact(store: Store) -> None:
    assert AccessLogRepo(store).protection_problems() == []
    assert {"access_log_no_update", "access_log_no_delete", "access_log_append_only",
            "checkpoints_no_update", "checkpoint_keys_no_delete"} <= set(expected_triggers())


@pytest.mark.parametrize("name", ["access_log_no_delete", "access_log_no_update",
                                  "access_log_append_only", "checkpoints_no_delete"])
def test_a_no_op_trigger_under_the_right_name_is_reported(store: Store, name: str) -> None:
    drop_protection(store)
    restore_protection(store)
    store.execute(f"DROP TRIGGER {name}")
    sql = expected_triggers()[name]
    store.execute(sql[: sql.index(" BEGIN ")] + " BEGIN SELECT 1; END")
    res = AccessLogRepo(store).verify()
    assert not res.intact and not res.protection_ok
    assert f"{name} was changed" in res.reason
    assert res.first_broken is None


def test_a_dropped_trigger_is_named(store: Store) -> None:
    store.execute("DROP TRIGGER access_log_append_only")
    res = AccessLogRepo(store).verify()
    assert not res.intact
    assert "access_log_append_only was removed" in res.reason


def test_an_added_trigger_on_the_log_is_reported(store: Store) -> None:
    store.execute("CREATE TRIGGER quiet AFTER INSERT ON access_log BEGIN SELECT 1; END")
    store.execute("CREATE TRIGGER sneaky AFTER INSERT ON settings BEGIN "
                  "INSERT INTO access_log(seq) VALUES (NULL); END")
    problems = AccessLogRepo(store).protection_problems()
    assert "an unexpected trigger quiet was added" in problems
    assert "an unexpected trigger sneaky was added" in problems


def test_reformatted_but_identical_triggers_pass(store: Store) -> None:
    """Only what the SQL says counts: the same trigger written on one line is as shipped."""
    drop_protection(store)
    restore_protection(store)  # one-line, normalized text
    assert AccessLogRepo(store).verify().intact
