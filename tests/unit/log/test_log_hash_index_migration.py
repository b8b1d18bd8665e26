"""Migration 0025 on a store written before it: the access log loses UNIQUE(hash) (one page
less per entry's commit, issue 20) and keeps every entry, its chain, its indexes and its
protection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.errors import AppendOnlyViolation, StoreError


def _rows(s: Store) -> list[tuple]:
    return s.query("SELECT * FROM access_log ORDER BY seq")


def _hash_is_unique(s: Store) -> bool:
    return any(int(unique) and [c[2] for c in s.query(f"PRAGMA index_info('{name}')")]
               == ["hash"] for _seq, name, unique, *_ in s.query("PRAGMA index_list('access_log')"))


def test_migration_0025_keeps_the_log_and_its_protection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    everything = db._load_migrations()
    assert everything[-1].version >= 25
    monkeypatch.setattr(db, "_load_migrations",
                        lambda: tuple(m for m in everything if m.version != 25))
    old = create_store(path, key)
    repo = AccessLogRepo(old)
    for i in range(1, 41):
        repo.append(LogEvent("search", "ok", f"analyst{i % 3}", query={"pattern": f"7AB{i}"},
                             detail={"n": i}), ts_ms=1_760_000_000_000 + i)
    assert _hash_is_unique(old)
    before, head = _rows(old), repo.head()
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as s:
        assert s.schema_version() >= 25
        assert not _hash_is_unique(s)
        assert _rows(s) == before
        log = AccessLogRepo(s)
        assert log.head() == head
        assert log.protection_problems() == []
        result = log.verify()
        assert result.intact and result.checked == 40
        # the audit filters' indexes are back
        names = {r[1] for r in s.query("PRAGMA index_list('access_log')")}
        assert {"access_log_ts", "access_log_user", "access_log_event"} <= names
        # appending goes on, and the log is still append-only
        log.append(LogEvent("search", "ok", "analyst1", query={"pattern": "8XYZ1"}),
                   ts_ms=1_760_000_000_100)
        assert log.verify().intact
        with pytest.raises(AppendOnlyViolation):
            s.execute("INSERT INTO access_log(seq, ts_ms, event, outcome, username, prev_hash, "
                      "hash) VALUES (5, 1, 'x', 'ok', 'm', ?, ?)", (head[1], "a" * 64))
        with pytest.raises(StoreError):
            s.execute("UPDATE access_log SET username = 'x' WHERE seq = 3")
        with pytest.raises(StoreError):
            s.execute("DELETE FROM access_log WHERE seq = 3")
        assert _rows(s)[:40] == before
        # the anchors' trigger, written before the rebuild, names the rebuilt table: an anchor
        # must name a stored entry by its hash, and then entries up to it may go (archiving;
        # the signing key's account is beside the point here)
        s.execute("PRAGMA foreign_keys = OFF")
        s.execute("INSERT INTO checkpoint_keys(user_id, username, public_key, fingerprint, "
                  "wrapped, pinned_ms) VALUES (1, 'c', 'k', 'f', '{}', 1)")
        anchor = ("INSERT INTO log_anchors(first_seq, last_seq, last_hash, archive_name, "
                  "archive_sha256, archived_ms, archived_by, key_id, body, signature) "
                  "VALUES (1, 10, ?, 'a', 's', 1, 'c', 1, 'b', 'x')")
        with pytest.raises(StoreError):
            s.execute(anchor, ("f" * 64,))
        s.execute(anchor, (log.hash_at(10),))
        s.execute("DELETE FROM access_log WHERE seq <= 10")
        with pytest.raises(StoreError):
            s.execute("DELETE FROM access_log WHERE seq = 11")
