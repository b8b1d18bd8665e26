"""Issue 12: cameras already in the store are matched by name whatever the export's spacing
or case, and neither created nor reported again; migration 0008 merges the duplicates that
earlier imports made, repointing their reads."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from ingest_helpers import insert_old_reads

from alpr_desktop.core.camera_names import camera_key
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions
from alpr_desktop.storage import Store, create_store, db
from alpr_desktop.storage.db import open_store
from alpr_desktop.storage.reads import CameraRepo

pytestmark = pytest.mark.usefixtures("reader_path")  # each import in-thread and in a process
GENERIC = Mapping(name="g", columns={"plate": "plate", "datetime": "datetime",
                                     "camera": "camera"})


def write_csv(path: Path, cameras: list[str]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "datetime", "camera"])
        for i, cam in enumerate(cameras):
            w.writerow([f"7A{i:06d}", f"2025-01-02T03:04:{i:02d}Z", cam])
    return path


def test_camera_key_ignores_spacing_and_case() -> None:
    assert camera_key("  car-01\tavalon/carson  nb ") == "CAR-01 AVALON/CARSON NB"
    assert camera_key("Cañada Rd") == camera_key("CAÑADA RD")  # migration 0014: any letter
    assert camera_key("CAR-01\u00a0Avalon") == camera_key("ＣＡＲ-01 avalon")  # NBSP, full width


def test_known_cameras_are_matched_not_created(store: Store, clock: FixedClock,
                                               tmp_path: Path) -> None:
    known = CameraRepo(store).add(Camera(None, "CAR-01 Avalon/Carson NB", "Avalon & Carson"))
    data = write_csv(tmp_path / "export.csv",
                     ["car-01 avalon/carson nb", "CAR-01  Avalon/Carson NB ",
                      "CAR-01 Avalon/Carson NB", "CAR-99 New Site", "car-99 new site"])
    summary = ImportJob(store, clock, ImportOptions(mapping=GENERIC)).run([data])
    assert summary.accepted == 5
    assert summary.new_cameras == ["CAR-99 New Site"]
    cameras = CameraRepo(store).all()
    assert [c.name for c in cameras] == ["CAR-01 Avalon/Carson NB", "CAR-99 New Site"]
    counts = CameraRepo(store).read_counts()
    assert counts[known] == 3


OLD_MIGRATIONS = tuple(m for m in db.migrations() if m.version < 8)


def test_migration_0008_merges_duplicate_cameras(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    with monkeypatch.context() as m:
        m.setattr(db, "_load_migrations", lambda: OLD_MIGRATIONS)
        old = create_store(path, key)
        assert old.schema_version() < 8
        with old.transaction() as c:
            for name, lat in (("CAR-01 Avalon/Carson NB", None), ("car-01 avalon/carson nb", 33.83),
                              ("CAR-01  Avalon/Carson\tNB ", None), ("Main & 223rd", 33.82)):
                c.execute("INSERT INTO cameras(name, latitude) VALUES (?, ?)", (name, lat))
        ids = {name: cid for cid, name in old.query("SELECT id, name FROM cameras")}
        insert_old_reads(old, [("7ABC123", 1_766_000_000 + i, cid)
                               for i, cid in enumerate(sorted(ids.values()))])
        old.close()
    store = open_store(path, key)
    try:
        assert store.schema_version() >= 8
        cams = CameraRepo(store).all()
        assert [c.name for c in cams] == ["CAR-01 Avalon/Carson NB", "Main & 223rd"]
        kept = ids["CAR-01 Avalon/Carson NB"]
        assert cams[0].id == kept and cams[0].latitude == pytest.approx(33.83)
        assert CameraRepo(store).read_counts() == {kept: 3, ids["Main & 223rd"]: 1}
        # the key keeps it so: a second camera of the same name is refused by the store
        with pytest.raises(Exception):
            CameraRepo(store).add(Camera(None, "car-01 AVALON/carson nb"))
    finally:
        store.close()
