"""One confidence scale: imports store 0-1 like the demo, so "at least 80 %" means it
(a 12 % imported read used to pass, stored as 12 against a 0.8 threshold); migration 0004
converts stores written with percents."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from search_helpers import Seeded

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.search import Filters
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

MAPPING = Mapping(name="c", columns={"plate": "plate", "datetime": "datetime",
                                     "camera": "camera", "confidence": "confidence"})


def test_an_imported_12_percent_read_does_not_pass_at_least_80_percent(
    seeded: Seeded, tmp_path: Path
) -> None:
    data = tmp_path / "reads.csv"
    data.write_text("plate,datetime,camera,confidence\n"
                    "9LOW012,2025-12-01T10:00:00Z,Cam 1,12\n"
                    "9LOW012,2025-12-01T11:00:00Z,Cam 1,91\n", encoding="utf-8")
    summary = ImportJob(seeded.world.store, seeded.world.clock,
                        ImportOptions(mapping=MAPPING, reader_process=False)).run([data])
    assert summary.accepted == 2
    stored = sorted(r.confidence for r in ReadRepo(seeded.world.store).by_plate("9LOW012"))
    assert stored == [pytest.approx(0.12), pytest.approx(0.91)]
    rows = seeded.search("9LOW012", "exact", Filters(min_confidence=0.8)).rows
    assert [r.read.confidence for r in rows] == [pytest.approx(0.91)]


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
