"""Issue 16: Genetec and mapped (CSV) imports keep the vendor's camera id where the export has
one, as OpenALPR's did, so a camera is matched by it when its label changes. Genetec AutoVu
names a camera by its unit (SourceName) and its name on the unit (CameraName); a mapped export
names its camera id column like any other field (the wizard guesses 'Camera ID')."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alpr_desktop.core.camera_names import camera_key
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.ingest.column_guess import guess_columns
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.presets import BUILTIN
from alpr_desktop.ingest.runner import ImportJob, ImportOptions
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo

MAPPING = Mapping(name="contractor", timezone="UTC", columns={
    "plate": "Plate", "datetime": "Read Time", "camera": "Camera", "camera_id": "Camera ID"})


def _csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Plate", "Read Time", "Camera", "Camera ID"])
        w.writerows(rows)
    return path


def _vendor_ids(store: Store) -> dict[str, str | None]:
    return {str(r[0]): r[1] for r in store.query("SELECT name, vendor_id FROM cameras")}


@pytest.mark.usefixtures("reader_path")
def test_a_mapped_exports_camera_id_matches_a_relabelled_camera(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    one = _csv(tmp_path / "a.csv", [("7ABC123", "2025-02-03T04:00:00Z", "Avalon NB", "C-7"),
                                    ("7ABC124", "2025-02-03T04:01:00Z", "Main SB", "C-8")])
    two = _csv(tmp_path / "b.csv", [("7ABC125", "2025-02-04T04:00:00Z", "Avalon & 223rd NB",
                                     "C-7"),
                                    ("7ABC126", "2025-02-04T04:01:00Z", "Main SB", "")])
    job = ImportJob(store, clock, ImportOptions(mapping=MAPPING))
    assert sorted(job.run([one]).new_cameras) == ["Avalon NB", "Main SB"]
    assert _vendor_ids(store) == {"Avalon NB": "delimited:C-7", "Main SB": "delimited:C-8"}
    second = ImportJob(store, clock, ImportOptions(mapping=MAPPING)).run([two])
    assert second.added == 2 and second.new_cameras == []  # the new label: the same camera
    by_name = {c.name: c.id for c in CameraRepo(store).all()}
    assert CameraRepo(store).read_counts() == {by_name["Avalon NB"]: 2, by_name["Main SB"]: 2}


def test_genetec_keeps_unit_and_camera_as_the_camera_id(store: Store, clock: FixedClock,
                                                        fixtures: Path) -> None:
    xml = fixtures / "genetec_reads.xml"
    summary = ImportJob(store, clock).run([xml])
    assert summary.added >= 2
    ids = _vendor_ids(store)
    assert ids["Carson St WB Sharp 2"] == "genetec:Patroller 14/Carson St WB Sharp 2"
    # the camera renamed in the store (say by a merge that kept another label): a later
    # export of that unit's camera is still matched by its id, not made a new camera
    with store.transaction() as c:
        c.execute("UPDATE cameras SET name = 'Carson WB (P14)', name_key = ? "
                  "WHERE vendor_id = 'genetec:Patroller 14/Carson St WB Sharp 2'",
                  (camera_key("Carson WB (P14)"),))
    again = xml.with_name("genetec_later.xml")
    again.write_text(xml.read_text().replace("3F2504E0", "4F2504E0"))  # new reads, same camera
    later = ImportJob(store, clock).run([again])
    assert later.added == summary.added and later.new_cameras == []
    assert "Carson St WB Sharp 2" not in _vendor_ids(store)


def test_the_wizard_guesses_a_camera_id_column_and_generic_does_not_require_one() -> None:
    assert guess_columns(["Plate", "Read Time", "Camera", "Camera ID"])["camera_id"] == \
        "Camera ID"
    assert "camera_id" not in BUILTIN["generic"].columns
    assert Mapping(columns={"plate": "p", "datetime": "t", "camera_id": "c"},
                   camera="X").problems() == []


def test_a_camera_met_by_id_and_by_name_in_one_batch_keeps_exact_counts(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    """Rows of one camera with and without its id in one batch are one camera: their hourly
    counts are grouped by the store, not added twice."""
    rows = [("7ABC123", "2025-02-03T04:00:00Z", "Avalon NB", "C-7"),
            ("7ABC124", "2025-02-03T04:00:00Z", "Avalon NB", ""),
            ("7ABC125", "2025-02-03T04:10:00Z", "Avalon NB", "C-7")]
    ImportJob(store, clock, ImportOptions(mapping=MAPPING)).run([_csv(tmp_path / "m.csv", rows)])
    [row] = store.query("SELECT reads, same_second FROM health_hours")
    assert tuple(row) == (3, 1)
