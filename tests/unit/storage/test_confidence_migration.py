"""Migration 0004 on a store written before it: imported percents become 0-1, the demo's 0-1
values stay, and read ids continue from the highest stored (the new id sequence)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo


def test_migration_0004_converts_imported_percents_and_leaves_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written before 0004 (every other migration applied, percents stored by the
    import) is brought to 0-1 on open; the demo's 0-1 reads are left as they were."""
    path, key = tmp_path / "old.alprdb", secrets.token_bytes(32)
    everything = db._load_migrations()
    without = tuple(m for m in everything if m.version != 4)
    monkeypatch.setattr(db, "_load_migrations", lambda: without)
    old = create_store(path, key)
    cam = CameraRepo(old).add(Camera(None, "Cam", ""))
    with old.transaction() as c:  # the pre-0004 insert: ids by hand, percents as imported
        c.execute("INSERT INTO plates(id, plate_norm, ocr_key) VALUES (1, '7ABC123', 'K')")
        c.executemany(
            "INSERT INTO reads(id, plate_id, plate, recorded_at, camera_id, confidence, "
            "candidates, source) VALUES (?, 1, '7ABC123', 1, ?, ?, ?, ?)",
            [(1, cam, 12.0, '[["7A8C123",70]]', "delimited"),
             (2, cam, 91.5, "[]", "openalpr"),
             (3, cam, 0.93, '[["7A8C123",0.5]]', "demo")],
        )
    old.close()
    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as store:
        assert store.schema_version() == everything[-1].version
        assert 4 in {r[0] for r in store.query("SELECT version FROM schema_version")}
        reads = {r.id: r for r in ReadRepo(store).by_plate("7ABC123")}
        assert reads[1].confidence == pytest.approx(0.12)
        assert reads[1].candidates == (("7A8C123", pytest.approx(0.7)),)
        assert reads[2].confidence == pytest.approx(0.915)
        assert reads[3].confidence == pytest.approx(0.93)
        assert reads[3].candidates == (("7A8C123", pytest.approx(0.5)),)
        # ids continue after the highest one stored before the sequence existed
        new = ReadRepo(store).insert_many([NewRead("7ABC123", 2, cam)])
        assert new == [4]
