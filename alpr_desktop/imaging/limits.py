"""Decode images only within limits, checked on the header BEFORE any pixel is decoded.

A small file can declare a gigapixel canvas (a decompression bomb); OpenCV would allocate it.
So width and height are read from the JPEG or PNG header by hand first, and only images
within ``ImageLimits`` reach ``cv2.imdecode``. Used by import and reusable by the viewer.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SOI = b"\xff\xd8"
# JPEG start-of-frame markers that carry the image size (not DHT C4, JPG C8, DAC CC).
_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7,
                          0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 20_000


DEFAULT_LIMITS = ImageLimits()


class ImageRejected(ValueError):
    """The bytes are not an image this program will decode. ``reason`` is a short code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ImageHeader:
    format: str  # 'jpeg' or 'png'
    width: int
    height: int


def _png_header(data: bytes) -> ImageHeader:
    # The IHDR chunk must come first: length(4) 'IHDR' width(4) height(4).
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageRejected("image_undecodable", "PNG without a valid IHDR header")
    width, height = struct.unpack(">II", data[16:24])
    return ImageHeader("png", width, height)


def _jpeg_header(data: bytes) -> ImageHeader:
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            raise ImageRejected("image_undecodable", "JPEG segment marker missing")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length field
            pos += 2
            continue
        (seg_len,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if seg_len < 2:
            raise ImageRejected("image_undecodable", "JPEG segment with a bad length")
        if marker in _SOF_MARKERS:
            if pos + 9 > n:
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageHeader("jpeg", width, height)
        if marker in (0xD9, 0xDA):  # end of image / start of scan before any frame header
            break
        pos += 2 + seg_len
    raise ImageRejected("image_undecodable", "JPEG without a frame header")


def read_header(data: bytes) -> ImageHeader:
    """Format and size from the header alone; raises ImageRejected for anything else."""
    if data.startswith(PNG_SIGNATURE):
        return _png_header(data)
    if data.startswith(JPEG_SOI):
        return _jpeg_header(data)
    raise ImageRejected("image_undecodable", "not a JPEG or PNG image")


def check_limits(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> ImageHeader:
    """The header, once size in bytes and declared pixels are within ``limits``."""
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            "image_too_large", f"image of {len(data)} bytes exceeds {limits.max_bytes}"
        )
    head = read_header(data)
    if head.width <= 0 or head.height <= 0:
        raise ImageRejected("image_undecodable", "image declares an empty size")
    if (
        head.width > limits.max_side
        or head.height > limits.max_side
        or head.width * head.height > limits.max_pixels
    ):
        raise ImageRejected(
            "image_too_large",
            f"image declares {head.width}x{head.height} pixels, over the limit",
        )
    return head


def decode_with_limits(
    data: bytes, limits: ImageLimits = DEFAULT_LIMITS, *, grayscale: bool = False
) -> np.ndarray:
    """Decode after the header check; the decoded size must match what the header declared."""
    import cv2  # imported here: OpenCV's import costs ~100 ms and most callers never decode

    head = check_limits(data, limits)
    # EXIF rotation would swap the sides the header declared; orientation is the viewer's job.
    flag = (cv2.IMREAD_GRAYSCALE if grayscale else cv2.IMREAD_COLOR) | cv2.IMREAD_IGNORE_ORIENTATION
    img = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
    if img is None:
        raise ImageRejected("image_undecodable", f"the {head.format} data cannot be decoded")
    if img.shape[0] != head.height or img.shape[1] != head.width:
        raise ImageRejected("image_undecodable", "decoded size differs from the header")
    return img
