"""Migration 0029 on a store written before it (issue 20): its corrections in force are in
the new index of their plate's text at once, and a broad page from the postings finds the
corrected reads as the page that reads the pattern's plates does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from old_schema import written_before

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.corrections import CorrectionInput
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.corrections import CorrectionQueries, CorrectionRepo
from alpr_desktop.storage.reads import CameraRepo

T0 = 1_767_225_600


def test_migration_0029_indexes_the_corrections_already_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    everything = written_before(29, monkeypatch)
    old = create_store(path, key)
    cam = CameraRepo(old).add(Camera(None, "CAM-1", "Avalon Blvd"))
    ids = old.reads.insert_many([NewRead(p, T0 + i, cam) for i, p in enumerate(
        ["7ABC123", "8XYZ001", "8XYZ002", "8XYZ003"])])
    user = AccountRepo(old).add(
        Account(None, "old.officer", "Olive Officer", "LASD Carson Station", badge_number="12",
                sworn=True, roles=frozenset({Role.ANALYST})),
        passwords.hash_password("Old-Officer-Pass-4Z"), T0 * 1000).id or 0
    repo = CorrectionRepo(old)
    for read_id, plate in ((ids[1], "7ABC128"), (ids[2], "7ABC129"), (ids[3], "5QRS777")):
        repo.add(CorrectionInput(read_id, "Checked at full size against the overview.",
                                 "overview", plate=plate), "0" * 64, user, 1)
    assert old.query_one("SELECT 1 FROM sqlite_master WHERE name = 'read_corrections_text'") \
        is None
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as s:
        assert 29 in {int(r[0]) for r in s.query("SELECT version FROM schema_version")}
        plan = s.query("EXPLAIN QUERY PLAN SELECT read_id FROM read_corrections "
                       "INDEXED BY read_corrections_text WHERE ended_ms IS NULL "
                       "AND plate IS NOT NULL AND plate GLOB '7ABC*'")
        assert "read_corrections_text" in str(plan)
        found = CorrectionQueries(s).in_force_matching("7ABC12*")
        assert sorted(r[0] for r in found) == [ids[1], ids[2]]
