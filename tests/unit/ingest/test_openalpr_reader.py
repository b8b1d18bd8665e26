"""OpenALPR agent alpr_group JSON: one object, an array, JSON lines; fields as documented."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from alpr_desktop.ingest.openalpr import OpenAlprReader, compass
from alpr_desktop.ingest.records import FileRefused, RawRecord, Reason, Reject


def read(path: Path) -> list[RawRecord | Reject]:
    return list(OpenAlprReader(path).records())


def test_one_pretty_printed_group(fixtures: Path) -> None:
    (rec,) = read(fixtures / "openalpr_group.json")
    assert isinstance(rec, RawRecord)
    assert rec.plate == "7ABC123"
    assert rec.confidence == 94.1
    assert rec.state == "CA"  # region us-ca
    assert rec.time == 1735776245  # epoch_start is milliseconds
    assert rec.camera == "Avalon & Carson NB"  # web_server_config.camera_label
    assert rec.location == "Carson City Hall"  # site_id
    assert (rec.latitude, rec.longitude) == (33.83155, -118.28152)
    assert rec.direction == "S"  # 182.4 degrees
    assert (rec.make, rec.model, rec.color, rec.body_type) == (
        "honda", "civic", "silver-gray", "sedan-standard")
    assert rec.vendor_id == "Xk2lq9PQwv0fXyjr0R7T-1290211414-1735776245123"  # best_uuid
    assert ("7A8C123", 81.7) in rec.candidates
    kinds = {i.kind: i for i in rec.images}
    assert set(kinds) == {"crop", "overview"}
    assert kinds["crop"].data is not None and kinds["crop"].data.startswith(b"\xff\xd8")


def test_array_and_json_lines_give_the_same_groups(fixtures: Path, tmp_path: Path) -> None:
    lines = read(fixtures / "openalpr_groups.jsonl")
    assert [r.plate for r in lines] == ["7ABC123", "5DEF456"]  # the heartbeat is skipped
    assert [r.line for r in lines] == [1, 3]
    objs = [json.loads(x) for x in (fixtures / "openalpr_groups.jsonl").read_text().splitlines()]
    arr = tmp_path / "groups.json"
    arr.write_text(json.dumps(objs, indent=1))
    from_array = read(arr)
    assert [r.plate for r in from_array] == ["7ABC123", "5DEF456"]
    assert from_array[0].line == 2 and from_array[1].line > from_array[0].line


def test_camera_falls_back_to_site_and_camera_id(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps({"data_type": "alpr_group", "best_plate_number": "7ABC123",
                             "best_confidence": 90, "best_region": "ca", "epoch_start": 1.7e12,
                             "camera_id": 12, "site_id": "yard"}) + "\n")
    (rec,) = read(p)
    assert isinstance(rec, RawRecord)
    assert (rec.plate, rec.camera, rec.state, rec.confidence) == ("7ABC123", "yard camera 12",
                                                                  "CA", 90)


def test_bad_line_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    good = json.dumps({"data_type": "alpr_group", "best_plate_number": "7ABC123",
                       "epoch_start": 1735776245123, "camera_id": 1})
    p = tmp_path / "g.jsonl"
    p.write_text(f"{good}\n{{not json\n[1, 2]\n{good}\n")
    out = read(p)
    assert [(type(r).__name__, r.line) for r in out] == [
        ("RawRecord", 1), ("Reject", 2), ("Reject", 3), ("RawRecord", 4)]
    assert out[1].reason == Reason.MALFORMED  # type: ignore[union-attr]


def test_crop_that_is_not_base64_rejects_the_group(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps({"data_type": "alpr_group", "best_plate_number": "7ABC123",
                             "epoch_start": 1735776245123, "camera_id": 1,
                             "best_plate": {"plate": "7ABC123", "plate_crop_jpeg": "%%%"}}))
    (rej,) = read(p)
    assert isinstance(rej, Reject) and rej.reason == Reason.IMAGE_UNDECODABLE
    assert rej.column == "best_plate.plate_crop_jpeg"


def test_broken_array_stops_with_a_reject(tmp_path: Path) -> None:
    p = tmp_path / "g.json"
    good = {"data_type": "alpr_group", "best_plate_number": "7ABC123",
            "epoch_start": 1735776245123, "camera_id": 1}
    p.write_text("[\n" + json.dumps(good) + ",\n{broken\n]")
    out = read(p)
    assert isinstance(out[0], RawRecord)
    assert isinstance(out[1], Reject) and out[1].line == 3


def test_deep_nesting_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (rej,) = read(p)
    assert isinstance(rej, Reject) and rej.reason == Reason.MALFORMED


def test_oversized_document_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import alpr_desktop.ingest.openalpr as mod

    monkeypatch.setattr(mod, "MAX_DOCUMENT_BYTES", 100)
    p = tmp_path / "g.json"
    p.write_text("[" + json.dumps({"data_type": "alpr_group", "pad": "x" * 200}) + "]")
    with pytest.raises(FileRefused):
        read(p)


def test_oversized_embedded_image_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import alpr_desktop.ingest.openalpr as mod

    monkeypatch.setattr(mod, "MAX_B64_CHARS", 16)
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps({"data_type": "alpr_group", "best_plate_number": "7ABC123",
                             "epoch_start": 1, "camera_id": 1,
                             "vehicle_crop_jpeg": base64.b64encode(b"x" * 64).decode()}))
    (rej,) = read(p)
    assert isinstance(rej, Reject) and rej.reason == Reason.IMAGE_TOO_LARGE


@pytest.mark.parametrize(("deg", "out"), [(0, "N"), (44, "NE"), (90, "E"), (359, "N"),
                                          (200.5, "S"), (-1, ""), (None, ""), (True, "")])
def test_compass(deg: object, out: str) -> None:
    assert compass(deg) == out
