"""imaging.decode: bad images become a sentence, never an exception, and the size limits are
checked on the header before OpenCV is asked to decode anything."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from alpr_desktop.imaging import limits
from alpr_desktop.imaging.decode import decode_image
from alpr_desktop.imaging.limits import ImageLimits


def _jpeg(w: int = 64, h: int = 48) -> bytes:
    img = np.random.default_rng(1).integers(0, 255, (h, w, 3), dtype=np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


def _png(w: int = 64, h: int = 48) -> bytes:
    img = np.full((h, w, 3), 77, np.uint8)
    return cv2.imencode(".png", img)[1].tobytes()


def _png_claiming(w: int, h: int) -> bytes:
    """A tiny PNG whose header declares a w × h canvas (a decompression bomb's header)."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr
    chunk += struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    idat = zlib.compress(b"\x00" * 1000)
    chunk += struct.pack(">I", len(idat)) + b"IDAT" + idat
    chunk += struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _jpeg_claiming(w: int, h: int) -> bytes:
    """A real JPEG with its frame header rewritten to declare w × h."""
    data = bytearray(_jpeg())
    i = data.index(b"\xff\xc0")
    data[i + 5 : i + 9] = struct.pack(">HH", h, w)
    return bytes(data)


@pytest.fixture
def no_decode(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fails the test if OpenCV's decoder is reached."""
    calls: list[int] = []

    def refuse(*_a: object, **_k: object) -> None:
        calls.append(1)
        raise AssertionError("cv2.imdecode reached for an image the header check must refuse")

    monkeypatch.setattr(cv2, "imdecode", refuse)
    return calls


def test_good_jpeg_and_png_decode_to_bgr() -> None:
    for data, fmt in ((_jpeg(), "jpeg"), (_png(), "png")):
        r = decode_image(data, fmt)
        assert r.ok and r.image is not None and r.image.shape == (48, 64, 3), r.message
        assert r.image.dtype == np.uint8 and r.format == fmt


@pytest.mark.parametrize("make", [_png_claiming, _jpeg_claiming])
@pytest.mark.parametrize(("w", "h"), [(10_000, 10_000), (60_000, 60_000), (8000, 6251)])
def test_bombs_are_refused_from_the_header(make, w: int, h: int, no_decode: list[int]) -> None:
    r = decode_image(make(w, h), "png")
    assert not r.ok and r.image is None and r.reason == "image_too_large"
    assert "larger than this program will open" in r.message
    assert not no_decode


def test_fifty_megapixels_is_the_limit() -> None:
    assert limits.DEFAULT_LIMITS.max_pixels == 50_000_000
    assert decode_image(_png_claiming(7072, 7071)).reason == "image_too_large"  # 50.0 MP + 1 row


def test_oversized_bytes_refused_before_parsing(no_decode: list[int]) -> None:
    small = ImageLimits(max_bytes=1000)
    r = decode_image(_jpeg(200, 200), "jpeg", small)
    assert not r.ok and r.reason == "image_too_large" and not no_decode


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.2])
def test_truncated_jpeg_is_refused_not_painted_grey(keep: float) -> None:
    data = _jpeg(320, 240)
    r = decode_image(data[: int(len(data) * keep)], "jpeg")
    assert not r.ok and r.image is None
    assert r.reason == "image_truncated" and "cut short" in r.message


def test_truncated_png_is_refused() -> None:
    data = _png(320, 240)
    r = decode_image(data[: len(data) - 20], "png")
    assert not r.ok and r.reason == "image_truncated"


def test_header_only_jpeg_is_truncated() -> None:
    r = decode_image(_jpeg()[:20], "jpeg")
    assert not r.ok and r.reason in ("image_truncated", "image_undecodable")


@pytest.mark.parametrize("data", [b"", None])
def test_empty(data: bytes | None) -> None:
    r = decode_image(data, "jpeg")
    assert not r.ok and r.reason == "image_empty" and "empty" in r.message


@pytest.mark.parametrize(
    "data",
    [b"GIF89a" + b"\x00" * 100, b"BM" + b"\x00" * 100, b"not an image at all", b"%PDF-1.7\n"],
)
def test_wrong_format(data: bytes) -> None:
    r = decode_image(data, "jpeg")
    assert not r.ok and r.reason == "image_format" and "not a JPEG or PNG" in r.message


def test_corrupt_body_never_raises() -> None:
    data = bytearray(_jpeg(320, 240))
    mid = len(data) // 2
    data[mid : mid + 400] = bytes(400)  # scan data zeroed, markers intact
    r = decode_image(bytes(data), "jpeg")  # libjpeg may or may not notice; it must not raise
    assert r.ok or r.message


def test_stored_format_disagreement_is_noted() -> None:
    r = decode_image(_png(), "jpeg")
    assert r.ok and "stored as JPEG" in r.message


def test_garbage_fuzz_never_raises() -> None:
    rng = np.random.default_rng(7)
    good = _jpeg(64, 64)
    for _ in range(200):
        data = bytearray(good)
        for pos in rng.integers(0, len(data), 8):
            data[int(pos)] = int(rng.integers(0, 256))
        r = decode_image(bytes(data), "jpeg")
        assert isinstance(r.message, str) and (r.ok == (r.image is not None))
