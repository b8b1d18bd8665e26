"""Every reject reason, each from the smallest record that earns it; and the imaging limits."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from ingest_helpers import jpeg, png

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.imaging.limits import (
    ImageLimits,
    ImageRejected,
    check_limits,
    decode_with_limits,
    read_header,
)
from alpr_desktop.ingest.archive import FolderSource
from alpr_desktop.ingest.records import ImageRef, RawRecord, Reason, RejectError
from alpr_desktop.ingest.timeparse import make_parser
from alpr_desktop.ingest.validate import Validator

NOW = FixedClock().now_ms() // 1000


def base(**changes: object) -> RawRecord:
    rec = RawRecord(line=7, plate="7ABC123", time=NOW - 3600, camera="Gate 1")
    for k, v in changes.items():
        setattr(rec, k, v)
    return rec


def png_header_only(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))


def jpeg_header_only(w: int, h: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"\0\0" + sof + b"\xff\xd9"


@pytest.fixture
def validator(tmp_path: Path) -> Validator:
    (tmp_path / "ok.jpg").write_bytes(jpeg())
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8garbage")
    (tmp_path / "huge.png").write_bytes(png_header_only(60_000, 60_000))
    return Validator(FixedClock(), FolderSource(tmp_path),
                     time_parser=make_parser("iso8601", "UTC"))


def test_a_good_record_passes(validator: Validator) -> None:
    rec = validator.validate(base(plate="7abc-123", state="ca", latitude="33.8",
                                  longitude="-118.2", speed="31", confidence="88.5",
                                  candidates=[("7A8C123", 70), ("bad!", 1), ("7abc123", 9)],
                                  images=[ImageRef("crop", path="ok.jpg"),
                                          ImageRef("overview", data=png())]))
    assert (rec.plate, rec.plate_norm, rec.state, rec.speed, rec.confidence) == (
        "7abc-123", "7ABC123", "CA", 31.0, 0.885)  # percent in, 0-1 stored
    assert rec.camera.latitude == 33.8
    assert rec.candidates == (("7A8C123", 0.7),)  # bad and same-as-best alternates dropped
    assert [(i.kind, i.format, i.width, i.height) for i in rec.images] == [
        ("crop", "jpeg", 40, 20), ("overview", "png", 40, 20)]


REASONS: list[tuple[Reason, dict[str, object]]] = [
    (Reason.MALFORMED, {"make": {"nested": 1}}),
    (Reason.FIELD_TOO_LARGE, {"make": "M" * 5000}),
    (Reason.PLATE_MISSING, {"plate": None}),
    (Reason.PLATE_MISSING, {"plate": "   "}),
    (Reason.PLATE_CHARACTERS, {"plate": "7AB#123"}),
    (Reason.PLATE_CHARACTERS, {"plate": "7AB\ufffd123"}),
    (Reason.PLATE_LENGTH, {"plate": "7"}),
    (Reason.PLATE_LENGTH, {"plate": "7ABCDEFGHJK1"}),
    (Reason.TIME_MISSING, {"time": None}),
    (Reason.TIME_UNPARSEABLE, {"time": "next tuesday"}),
    (Reason.TIME_IN_FUTURE, {"time": NOW + 3600}),
    (Reason.TIME_TOO_OLD, {"time": 86_400}),
    (Reason.CAMERA_MISSING, {"camera": ""}),
    (Reason.COORDINATE_UNPARSEABLE, {"latitude": "north"}),
    (Reason.COORDINATE_OUT_OF_RANGE, {"latitude": "91"}),
    (Reason.COORDINATE_OUT_OF_RANGE, {"longitude": -180.5}),
    (Reason.NUMBER_UNPARSEABLE, {"speed": "fast"}),
    (Reason.NUMBER_UNPARSEABLE, {"confidence": "150"}),
    (Reason.IMAGE_MISSING, {"images": [ImageRef("crop", path="nope.jpg")]}),
    (Reason.IMAGE_UNSAFE_PATH, {"images": [ImageRef("crop", path="../x.jpg")]}),
    (Reason.IMAGE_UNDECODABLE, {"images": [ImageRef("crop", path="bad.jpg")]}),
    (Reason.IMAGE_UNDECODABLE, {"images": [ImageRef("crop", data=b"GIF89a....")]}),
    (Reason.IMAGE_TOO_LARGE, {"images": [ImageRef("crop", path="huge.png")]}),
]


def test_every_reason_is_covered() -> None:
    assert {r for r, _ in REASONS} == set(Reason)


@pytest.mark.parametrize(("reason", "changes"), REASONS,
                         ids=[f"{r}-{i}" for i, (r, _) in enumerate(REASONS)])
def test_each_reason(validator: Validator, reason: Reason, changes: dict[str, object]) -> None:
    with pytest.raises(RejectError) as err:
        validator.validate(base(**changes))
    assert err.value.reason == reason


def test_future_allows_a_minute_of_clock_skew(validator: Validator) -> None:
    assert validator.validate(base(time=NOW + 30)).recorded_at == NOW + 30


def test_zero_zero_is_no_gps_fix(validator: Validator) -> None:
    rec = validator.validate(base(latitude=0, longitude=0))
    assert rec.camera.latitude is None and rec.camera.longitude is None


# -- imaging limits: the header decides before any pixel is decoded ----------------------------

@pytest.mark.parametrize("make", [png_header_only, jpeg_header_only])
def test_bomb_dimensions_refused_from_the_header(make, monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2

    def boom(*_: object) -> None:
        raise AssertionError("decoded a bomb")

    monkeypatch.setattr(cv2, "imdecode", boom)
    data = make(40_000, 40_000)
    assert (read_header(data).width, read_header(data).height) == (40_000, 40_000)
    with pytest.raises(ImageRejected) as err:
        decode_with_limits(data)
    assert err.value.reason == "image_too_large"


def test_byte_cap_and_side_cap() -> None:
    with pytest.raises(ImageRejected, match="bytes"):
        check_limits(jpeg(), ImageLimits(max_bytes=100))
    with pytest.raises(ImageRejected):
        check_limits(png(30, 10), ImageLimits(max_side=20))
    assert check_limits(png(30, 10)).format == "png"


def test_decoded_image_matches_header() -> None:
    img = decode_with_limits(jpeg(64, 32))
    assert img.shape[:2] == (32, 64)
    with pytest.raises(ImageRejected):
        decode_with_limits(jpeg_header_only(64, 32))  # header without pixels
