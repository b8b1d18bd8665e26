"""Issue 16: imports keep what the export says. A mobile reader's reads keep their own
positions (and the summary warns about a camera with many); cameras are matched across imports
by vendor id or by name however it is written, and migration 0014 merges the duplicates that
today's ASCII-only key left; the plate's box is imported (OpenALPR coordinates, mapping
columns) and the viewer's service cuts a derived crop from it; a mapping without a zone uses
the site's and says so; a file whose every row fails for one reason names what was expected."""

from __future__ import annotations

import base64
import csv
import json
import os
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from ingest_helpers import insert_old_reads, jpeg

from alpr_desktop.core.clock import SITE_ZONE, FixedClock
from alpr_desktop.core.models import BBox, Camera, ImageBlob
from alpr_desktop.imaging.integrity import verify
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import MANY_POSITIONS, ImportJob, ImportOptions
from alpr_desktop.ingest.timeparse import FormatError, make_parser
from alpr_desktop.services.images import CheckedImage, ReadImages, decode_opened
from alpr_desktop.services.import_summary import summary_lines
from alpr_desktop.storage import Store, create_store, db
from alpr_desktop.storage.db import open_store
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

COLUMNS = {"plate": "plate", "datetime": "datetime", "camera": "camera",
           "latitude": "lat", "longitude": "lon"}
UTC_MAPPING = Mapping(name="m", columns=COLUMNS, timezone="UTC")


def run(store: Store, clock: FixedClock, files: list[Path], mapping: Mapping | None = None):
    return ImportJob(store, clock, ImportOptions(mapping=mapping or UTC_MAPPING)).run(files)


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def patrol_rows(n: int, camera: str = "PATROL-7") -> list[dict[str, object]]:
    return [{"plate": f"7M{i:05d}", "datetime": f"2025-02-03T04:{i // 60:02d}:{i % 60:02d}Z",
             "camera": camera, "lat": f"{33.80 + i * 0.001:.4f}",
             "lon": f"{-118.30 + i * 0.001:.4f}"} for i in range(n)]


@pytest.mark.usefixtures("reader_path")
def test_a_mobile_readers_reads_keep_their_own_positions(store: Store, clock: FixedClock,
                                                         tmp_path: Path) -> None:
    rows = patrol_rows(30)
    summary = run(store, clock, [write_rows(tmp_path / "patrol.csv", rows)])
    assert summary.added == 30
    repo = ReadRepo(store)
    for i in (0, 17, 29):
        (read,) = repo.by_plate(f"7M{i:05d}")
        assert (read.latitude, read.longitude) == (
            pytest.approx(33.80 + i * 0.001), pytest.approx(-118.30 + i * 0.001))
    (cam,) = CameraRepo(store).all()
    assert (cam.latitude, cam.longitude) == (pytest.approx(33.80), pytest.approx(-118.30))
    assert summary.moving_cameras == {"PATROL-7": 30}
    warning = [line for line in summary_lines(summary) if line.startswith("Warning:")]
    assert warning and "'PATROL-7' reported 30 different positions" in warning[0]


def test_a_fixed_camera_gives_no_warning_and_a_read_without_position_has_none(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    rows = [*patrol_rows(MANY_POSITIONS - 1),
            {"plate": "7NOPOS1", "datetime": "2025-02-03T05:00:00Z", "camera": "PATROL-7",
             "lat": "", "lon": ""}]
    summary = run(store, clock, [write_rows(tmp_path / "few.csv", rows)])
    assert summary.moving_cameras == {}
    (read,) = ReadRepo(store).by_plate("7NOPOS1")
    assert read.latitude is None and read.longitude is None


@pytest.mark.usefixtures("reader_path")
def test_cameras_are_matched_across_two_imports_however_the_name_is_written(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    first = write_rows(tmp_path / "one.csv", patrol_rows(2, "Cañada Rd\u00a0NB"))
    assert run(store, clock, [first]).new_cameras == ["Cañada Rd\u00a0NB"]
    second_rows = [dict(r, plate=f"8X{i:05d}", camera=name) for i, (r, name) in enumerate(zip(
        patrol_rows(3), ["CAÑADA RD NB", "cañada  rd nb", "Ｃañada Rd NB"], strict=True))]
    summary = run(store, clock, [write_rows(tmp_path / "two.csv", second_rows)])
    assert summary.new_cameras == [] and summary.added == 3
    cams = CameraRepo(store).all()
    assert len(cams) == 1 and CameraRepo(store).read_counts() == {cams[0].id: 5}


def alpr_group(uuid: str, plate: str, label: str, *, camera_id: int = 7,
               overview: bytes | None = None, corners: list[dict] | None = None,
               region: dict | None = None, lat: float = 33.83) -> dict[str, object]:
    best: dict[str, object] = {"plate": plate, "confidence": 91.0, "region": "us-ca"}
    group: dict[str, object] = {
        "data_type": "alpr_group", "best_uuid": uuid, "epoch_start": 1_738_555_200_000,
        "camera_id": camera_id, "site_id": "carson", "best_plate": best,
        "web_server_config": {"camera_label": label}, "gps_latitude": lat,
        "gps_longitude": -118.28,
    }
    if corners is not None:
        best["coordinates"] = corners
    if overview is not None:
        group["vehicle_crop_jpeg"] = base64.b64encode(overview).decode()
    if region is not None:
        group["vehicle_region"] = region
    return group


def write_jsonl(path: Path, groups: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(g) + "\n" for g in groups))
    return path


def test_an_openalpr_camera_is_matched_by_its_id_when_its_label_changes(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "a.jsonl", [alpr_group("u1", "7ABC123", "Old label")])
    two = write_jsonl(tmp_path / "b.jsonl", [alpr_group("u2", "7ABC124", "New label"),
                                             alpr_group("u3", "7ABC125", "Other", camera_id=8)])
    assert run(store, clock, [one]).new_cameras == ["Old label"]
    assert run(store, clock, [two]).new_cameras == ["Other"]
    counts = CameraRepo(store).read_counts()
    by_name = {c.name: c.id for c in CameraRepo(store).all()}
    assert counts == {by_name["Old label"]: 2, by_name["Other"]: 1}


def test_the_plate_box_comes_from_openalpr_coordinates(store: Store, clock: FixedClock,
                                                       tmp_path: Path) -> None:
    corners = [{"x": 520, "y": 410}, {"x": 600, "y": 412}, {"x": 601, "y": 450},
               {"x": 519, "y": 449}]
    groups = [alpr_group("u1", "7ABC123", "CAR-01", overview=jpeg(320, 240), corners=corners,
                         region={"x": 400, "y": 300, "width": 320, "height": 240}),
              alpr_group("u2", "7ABC124", "CAR-01", overview=jpeg(320, 240),
                         corners=[{"x": 5000, "y": 5000}] * 4)]  # outside: dropped
    summary = run(store, clock, [write_jsonl(tmp_path / "boxes.jsonl", groups)])
    assert summary.added == 2
    (read,) = ReadRepo(store).by_plate("7ABC123")
    (overview,) = ImageRepo(store).for_read(read.id)
    assert overview.kind == "overview" and overview.bbox == BBox(119, 110, 82, 40)
    (other,) = ReadRepo(store).by_plate("7ABC124")
    assert ImageRepo(store).for_read(other.id)[0].bbox is None


def test_the_plate_box_comes_from_a_mappings_box_columns(store: Store, clock: FixedClock,
                                                         tmp_path: Path) -> None:
    (tmp_path / "scene.jpg").write_bytes(jpeg(200, 100))
    rows = [{"plate": "7BOX001", "datetime": "2025-02-03T04:00:00Z", "camera": "CAR-02",
             "lat": "", "lon": "", "scene": "scene.jpg", "x": "150", "y": "60", "w": "80",
             "h": "30"}]
    mapping = Mapping(name="b", timezone="UTC", columns={
        **COLUMNS, "overview_image": "scene", "plate_x": "x", "plate_y": "y",
        "plate_width": "w", "plate_height": "h"})
    assert run(store, clock, [write_rows(tmp_path / "box.csv", rows)], mapping).added == 1
    (read,) = ReadRepo(store).by_plate("7BOX001")
    (overview,) = ImageRepo(store).for_read(read.id)
    assert overview.bbox == BBox(150, 60, 50, 30)  # clipped to the 200-pixel-wide scene
    assert Mapping(columns={**COLUMNS, "plate_x": "x"}).problems()  # all four or none


def _checked(kind: str, data: bytes, bbox: BBox | None) -> CheckedImage:
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    return CheckedImage(ImageBlob(1, kind, "jpeg", data, sha, bbox=bbox), verify(data, sha))


def test_a_read_without_a_crop_shows_one_derived_from_the_box(store: Store) -> None:
    from alpr_desktop.core.models import Read

    read = Read(1, "7ABC123", "7ABC123", "CA", 1_738_555_200, 1, "CAR-01", "", "", "", "", "",
                "", None, 0.9)
    scene = jpeg(320, 240)
    opened = decode_opened(ReadImages(read, None, _checked("overview", scene,
                                                           BBox(100, 100, 80, 40))))
    assert opened.crop.derived and opened.crop.decoded.ok
    assert opened.crop.decoded.image.shape[:2] == (52, 104)  # the box and a 15 % margin
    assert "Derived" in opened.crop.decoded.message and opened.crop.checked is None
    assert not opened.overview.derived
    # a stored crop is shown as stored; no box, no derived crop
    stored = decode_opened(ReadImages(read, _checked("crop", jpeg(40, 20), None),
                                      _checked("overview", scene, BBox(100, 100, 80, 40))))
    assert not stored.crop.derived and stored.crop.checked is not None
    bare = decode_opened(ReadImages(read, None, _checked("overview", scene, None)))
    assert not bare.crop.derived and not bare.crop.decoded.ok


def test_a_mapping_without_a_zone_uses_the_sites_and_says_so(store: Store, clock: FixedClock,
                                                             tmp_path: Path) -> None:
    rows = [{"plate": "7TZ0001", "datetime": "02/03/2025 - 04:05:06", "camera": "CAR-01",
             "lat": "", "lon": ""}]
    mapping = Mapping(name="z", columns=COLUMNS, datetime_format="MM/DD/YYYY - HH:mm:SS")
    summary = run(store, clock, [write_rows(tmp_path / "tz.csv", rows)], mapping)
    (read,) = ReadRepo(store).by_plate("7TZ0001")
    local = datetime(2025, 2, 3, 4, 5, 6, tzinfo=SITE_ZONE)
    assert read.recorded_at == int(local.timestamp())
    notes = [line for line in summary_lines(summary) if "Note:" in line]
    assert notes and "site's time zone, America/Los_Angeles" in notes[0]
    # a mapping that names a zone is not told about
    explicit = run(store, clock, [write_rows(tmp_path / "tz2.csv", rows)], UTC_MAPPING)
    assert not [line for line in summary_lines(explicit) if "Note:" in line]


def test_every_row_rejected_for_one_reason_names_the_expected_format(
        store: Store, clock: FixedClock, tmp_path: Path) -> None:
    rows = [{"plate": f"7ABC{i:03d}", "datetime": "2025-02-03 04:05", "camera": "CAR-01",
             "lat": "", "lon": ""} for i in range(5)]
    mapping = Mapping(name="t", columns=COLUMNS, datetime_format="MM/DD/YYYY - HH:mm:SS")
    summary = run(store, clock, [write_rows(tmp_path / "wrong.csv", rows)], mapping)
    (f,) = summary.files
    assert f.single_reason == "time_unparseable"
    text = "\n".join(summary_lines(summary))
    assert "Every record was rejected for one reason: the date or time does not match" in text
    assert "MM/DD/YYYY - HH:mm:SS" in text and "Example:" in text
    assert "plate,datetime,camera,lat,lon" in text
    assert "7ABC123,03/14/2025 - 08:05:09,CAR-01 Avalon/Carson NB" in text
    assert not any(f"7ABC{i:03d}" in text for i in range(5))  # no value from the file


def test_a_reimport_of_the_same_reads_says_0_added_n_already(store: Store, clock: FixedClock,
                                                             tmp_path: Path) -> None:
    rows = patrol_rows(4)
    run(store, clock, [write_rows(tmp_path / "a.csv", rows)])
    again = run(store, clock, [write_rows(tmp_path / "copy.csv", rows)])  # other file, same reads
    text = "\n".join(summary_lines(again))
    assert "0 added, 4 already in the store, 0 rejected" in text
    assert "Total: 0 added, 4 already in the store" in text


def test_mm_is_the_month_and_mm_lower_the_minutes_everywhere() -> None:
    assert make_parser("YYYY-MM-DD HH:mm", "UTC")("2025-02-03 04:05") == 1_738_555_500
    with pytest.raises(FormatError, match="MM is the month; write the minutes as mm"):
        make_parser("YYYY-MM-DD HH:MM", "UTC")
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    help_page = (Path(__file__).resolve().parents[3] / "alpr_desktop" / "resources" / "help"
                 / "import.md").read_text()
    for text in (readme, help_page):
        assert not re.search(r"HH:MM|hh:MM|MM\W+(?:right )?after an hour", text)


OLD = tuple(m for m in db.migrations() if m.version < 14)


def _old_key(name: str) -> str:
    """core.camera_names.camera_key as it was before migration 0014 (ASCII upper only)."""
    return re.sub(r"[ \t\r\n]+", " ", name).strip(" ").translate(
        str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def test_migration_0014_merges_the_duplicates_todays_code_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    names = [("Cañada Rd NB", None), ("CAÑADA RD NB", 33.84), ("CAR-01\u00a0Avalon", None),
             ("CAR-01 Avalon", None), ("ＣＡＲ-01 avalon", None), ("Main & 223rd", 33.82)]
    with monkeypatch.context() as m:
        m.setattr(db, "_load_migrations", lambda: OLD)
        old = create_store(path, key)
        with old.transaction() as c:
            for name, lat in names:  # as today's imports stored them: six cameras
                c.execute("INSERT INTO cameras(name, name_key, latitude) VALUES (?, ?, ?)",
                          (name, _old_key(name), lat))
        ids = {name: cid for cid, name in old.query("SELECT id, name FROM cameras")}
        assert len(ids) == 6
        insert_old_reads(old, [(f"7ABC{i:03d}", 1_738_555_200 + i, cid)
                               for i, cid in enumerate(sorted(ids.values()))])
        old.close()
    store = open_store(path, key)
    try:
        cams = CameraRepo(store).all()
        assert [c.name for c in cams] == ["CAR-01\u00a0Avalon", "Cañada Rd NB", "Main & 223rd"]
        kept = {c.name: c for c in cams}
        assert kept["Cañada Rd NB"].latitude == pytest.approx(33.84)  # taken from its twin
        assert CameraRepo(store).read_counts() == {
            ids["Cañada Rd NB"]: 2, ids["CAR-01\u00a0Avalon"]: 3, ids["Main & 223rd"]: 1}
        (read,) = ReadRepo(store).by_plate("7ABC001")
        assert read.camera_name == "Cañada Rd NB" and read.latitude is None
        with pytest.raises(Exception):  # the key keeps it so
            CameraRepo(store).add(Camera(None, "cañada rd nb"))
    finally:
        store.close()


def test_the_derived_crop_array_is_a_copy() -> None:
    from alpr_desktop.imaging.plate_crop import cut_plate

    image = np.zeros((100, 200, 3), np.uint8)
    cut = cut_plate(image, 10, 10, 40, 20)
    assert cut is not None
    cut[:] = 255
    assert image.max() == 0 and cut_plate(image, 500, 500, 10, 10) is None
