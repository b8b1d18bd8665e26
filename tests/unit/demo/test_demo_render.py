"""Rendered plate crops and overview scenes: they decode, they show a plate, and they are a pure
function of (seed, read index)."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np

from alpr_desktop.demo.plate_art import plate_face
from alpr_desktop.demo.render import CROP_H, CROP_W, RenderJob, render_read
from alpr_desktop.demo.scene import OVERVIEW_H, OVERVIEW_W


def _job(index: int = 3, night: bool = False, seed: int = 1, **kw) -> RenderJob:
    base = dict(seed=seed, index=index, plate="8ABC123", state="CA", commercial=False,
                camera=0, color="Black", body_type="SUV", night=night,
                caption="CAR-01 test  2026-11-20 07:45:12 PST")
    base.update(kw)
    return RenderJob(**base)


def _decode(data: bytes) -> np.ndarray:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None
    return img


def test_images_decode_with_declared_sizes_and_hashes() -> None:
    out = render_read(_job())
    crop, ov = _decode(out.crop.data), _decode(out.overview.data)
    assert crop.shape == (CROP_H, CROP_W, 3) == (out.crop.height, out.crop.width, 3)
    assert ov.shape == (OVERVIEW_H, OVERVIEW_W, 3) == (out.overview.height, out.overview.width, 3)
    assert out.crop.data[:2] == b"\xff\xd8" and out.overview.data[:2] == b"\xff\xd8"
    assert hashlib.sha256(out.overview.data).hexdigest() == out.overview.sha256
    assert hashlib.sha256(out.crop.data).hexdigest() == out.crop.sha256


def test_overview_shows_the_plate_inside_its_box() -> None:
    out = render_read(_job(color="Black"))
    x, y, w, h = out.bbox
    assert x >= 0 and y >= 0 and x + w <= OVERVIEW_W and y + h <= OVERVIEW_H
    assert w > 40 and abs(w - 2 * h) <= 2  # a 2:1 plate, big enough to read
    gray = cv2.cvtColor(_decode(out.overview.data), cv2.COLOR_BGR2GRAY).astype(float)
    plate = gray[y : y + h, x : x + w]
    around = gray[y + h + 2 : y + h + 12, x : x + w]  # the black car's bumper below the plate
    assert plate.mean() > around.mean() + 60
    assert plate.std() > 20  # characters on it, not a blank patch


def test_crop_is_a_plate_with_dark_characters() -> None:
    gray = cv2.cvtColor(_decode(render_read(_job()).crop.data), cv2.COLOR_BGR2GRAY)
    centre = gray[CROP_H // 2 - 20 : CROP_H // 2 + 20, CROP_W // 4 : 3 * CROP_W // 4]
    assert np.percentile(centre, 90) > 180  # white plate
    assert np.percentile(centre, 10) < 110  # dark strokes


def test_night_frames_are_darker() -> None:
    day = _decode(render_read(_job(night=False)).overview.data)
    night = _decode(render_read(_job(night=True)).overview.data)
    assert night.mean() < 0.6 * day.mean()


def test_same_job_same_bytes_other_index_or_seed_differs() -> None:
    a, b = render_read(_job(index=9)), render_read(_job(index=9))
    assert (a.crop.sha256, a.overview.sha256, a.bbox) == (b.crop.sha256, b.overview.sha256, b.bbox)
    assert render_read(_job(index=10)).overview.sha256 != a.overview.sha256
    assert render_read(_job(index=9, seed=2)).overview.sha256 != a.overview.sha256


def test_every_state_style_draws() -> None:
    for state in ("CA", "AZ", "NV", "TX", "OR", "WA"):
        face = plate_face("ABC1234", state)
        assert face.shape == (128, 256, 3)
        assert face.min() < 100 < face.max()
