"""Decoding a stored image for display: never raises for bad data, always says why.

The viewer must show one image even when the other is corrupt, so every failure becomes a
DecodeResult with a sentence fit for the screen. The size limits of imaging/limits.py are
checked on the header before any pixel is decoded (a small file can declare a gigapixel
canvas), and truncation is checked on the byte stream because libjpeg "decodes" a truncated
JPEG by painting the missing rows grey without an error: a picture that is not what the
camera recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from alpr_desktop.imaging.limits import (
    DEFAULT_LIMITS,
    ImageLimits,
    ImageRejected,
    check_limits,
    decode_with_limits,
)

log = logging.getLogger(__name__)

JPEG_EOI = b"\xff\xd9"
PNG_IEND = b"IEND"
# Some cameras pad a JPEG after its end-of-image marker; this much padding is tolerated.
_TAIL_WINDOW = 4096

_SENTENCES = {
    "image_empty": "The stored image is empty (0 bytes).",
    "image_too_large": "The stored image is larger than this program will open ({detail}).",
    "image_truncated": "The stored image is cut short: part of it is missing.",
    "image_undecodable": "The stored image cannot be decoded ({detail}).",
    "image_format": "The stored data is not a JPEG or PNG image.",
}


@dataclass(frozen=True)
class DecodeResult:
    """``image`` is a BGR uint8 array when ``ok``; otherwise ``message`` says why not."""

    ok: bool
    image: np.ndarray | None
    message: str
    reason: str = ""
    format: str = ""


def _fail(reason: str, detail: str = "") -> DecodeResult:
    return DecodeResult(False, None, _SENTENCES[reason].format(detail=detail), reason)


def looks_truncated(data: bytes, fmt: str) -> bool:
    """True when the stream lacks its end marker near the end (JPEG EOI, PNG IEND)."""
    tail = data[-_TAIL_WINDOW:]
    if fmt == "jpeg":
        return JPEG_EOI not in tail
    if fmt == "png":
        return PNG_IEND not in tail[-64:]
    return False


def decode_image(
    data: bytes | None, fmt: str = "", limits: ImageLimits = DEFAULT_LIMITS
) -> DecodeResult:
    """Decode ``data`` (JPEG or PNG) to BGR within ``limits``. ``fmt`` is the stored format;
    the bytes' own signature decides how they are decoded, and a disagreement is noted."""
    if not data:
        return _fail("image_empty")
    try:
        head = check_limits(data, limits)
    except ImageRejected as exc:
        if exc.reason == "image_too_large":
            return _fail("image_too_large", str(exc))
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            return _fail("image_format")
        # A stream cut before its frame header is truncated, not of an unknown kind.
        return _fail("image_truncated" if len(data) < 1024 else "image_undecodable", str(exc))
    if looks_truncated(data, head.format):
        return _fail("image_truncated")
    try:
        img = decode_with_limits(data, limits)
    except ImageRejected as exc:
        return _fail("image_undecodable", str(exc))
    except Exception as exc:  # OpenCV raises cv2.error for some malformed streams
        log.warning("image decode failed", exc_info=exc)
        return _fail("image_undecodable", type(exc).__name__)
    note = ""
    if fmt and fmt.lower() not in (head.format, "jpg" if head.format == "jpeg" else ""):
        note = f" The data is {head.format.upper()}, though it was stored as {fmt.upper()}."
    return DecodeResult(True, img, f"{head.format.upper()}, {head.width} × {head.height}.{note}",
                        format=head.format)


def display_bgra(image: np.ndarray) -> np.ndarray:
    """The image as contiguous 8-bit BGRA, the byte order a screen pixmap already uses, so
    the GUI thread only wraps it (the conversion runs on the worker that decoded)."""
    import cv2

    code = cv2.COLOR_GRAY2BGRA if image.ndim == 2 else cv2.COLOR_BGR2BGRA
    return np.ascontiguousarray(cv2.cvtColor(image, code))
