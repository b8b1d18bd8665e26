"""Rendering one read's two images: the plate crop and the overview scene, as JPEG bytes.

Every random choice comes from a numpy Generator seeded with (seed, read index), and the
per-camera backgrounds from (seed, camera), so a read's bytes do not depend on which worker
process renders it or in which order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.plate_art import FACE_H, FACE_W, plate_face
from alpr_desktop.demo.scene import OVERVIEW_H, OVERVIEW_W, background, draw_car
from alpr_desktop.demo.vehicles import COLOR_BGR

CROP_W, CROP_H = 296, 148
JPEG_QUALITY = 85  # plate crops: the evidence an analyst checks
OVERVIEW_QUALITY = 80  # context only; keeps a 20,000-read demo near 700 MB
_READ_STREAM, _CAMERA_STREAM, _NOISE_STREAM = 0, 1, 2
_NOISE_SIDE = 1024


@dataclass(frozen=True)
class RenderJob:
    """What a worker needs to draw one read; small so it pickles cheaply."""

    seed: int
    index: int
    plate: str  # the true plate: the camera saw this even when it misread it
    state: str
    commercial: bool
    camera: int
    color: str
    body_type: str
    night: bool
    caption: str  # burned into the overview, as cameras do: camera and local time


@dataclass(frozen=True)
class Encoded:
    data: bytes
    sha256: str
    width: int
    height: int


@dataclass(frozen=True)
class Rendered:
    index: int
    crop: Encoded
    overview: Encoded
    bbox: tuple[int, int, int, int]  # the plate in the overview: x, y, w, h


def _rng(seed: int, stream: int, n: int) -> np.random.Generator:
    return np.random.default_rng([seed % 2**63, stream, n])


_backgrounds: dict[tuple[int, int, bool], np.ndarray] = {}
_noise: dict[int, np.ndarray] = {}


def _background(seed: int, camera: int, night: bool) -> np.ndarray:
    key = (seed, camera, night)
    if key not in _backgrounds:
        sign = CAMERAS[camera % len(CAMERAS)].cross
        img = background(_rng(seed, _CAMERA_STREAM, camera), sign, night)
        if night:  # high sensor gain: grain baked into the cached scene costs nothing per read
            img = _add_noise(img, _rng(seed, _CAMERA_STREAM, camera), seed, 0.6)
        _backgrounds[key] = img
    return _backgrounds[key]


def _noise_tile(seed: int) -> np.ndarray:
    """Sensor noise centred on 128, made once and sliced at random offsets per image."""
    if seed not in _noise:
        g = _rng(seed, _NOISE_STREAM, 0).normal(128, 6, (_NOISE_SIDE, _NOISE_SIDE, 3))
        _noise[seed] = np.clip(g, 0, 255).astype(np.uint8)
    return _noise[seed]


def _add_noise(img: np.ndarray, rng: np.random.Generator, seed: int, amount: float) -> np.ndarray:
    h, w = img.shape[:2]
    tile = _noise_tile(seed)
    y, x = int(rng.integers(0, _NOISE_SIDE - h)), int(rng.integers(0, _NOISE_SIDE - w))
    return cv2.addWeighted(img, 1.0, tile[y : y + h, x : x + w], amount, -128 * amount)


def encode_jpeg(img: np.ndarray, quality: int = JPEG_QUALITY) -> Encoded:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    data = buf.tobytes()
    return Encoded(data, hashlib.sha256(data).hexdigest(), img.shape[1], img.shape[0])


def render_crop(job: RenderJob, face: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The plate as the ALPR camera cropped it: a little bumper around it, tilted, soft, noisy.
    At night the camera reads in infrared: grey, with the retro-reflective plate glowing."""
    bumper = np.array(COLOR_BGR.get(job.color, (120, 120, 120)), np.float32) * 0.8
    img: np.ndarray = np.empty((CROP_H, CROP_W, 3), np.uint8)
    img[:] = bumper.astype(np.uint8)
    ox = (CROP_W - FACE_W) // 2 + int(rng.integers(-8, 9))
    oy = (CROP_H - FACE_H) // 2 + int(rng.integers(-5, 6))
    img[oy : oy + FACE_H, ox : ox + FACE_W] = face
    if rng.random() < 0.5:  # the rest were deskewed by the reader before cropping
        m = cv2.getRotationMatrix2D((CROP_W / 2, CROP_H / 2), rng.uniform(-4, 4), 1.0)
        m[0, 1] += rng.uniform(-0.06, 0.06)  # slight shear: the camera is off-axis
        img = cv2.warpAffine(img, m, (CROP_W, CROP_H), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REPLICATE)
    img = cv2.GaussianBlur(img, (7, 7) if rng.random() < 0.12 else (3, 3), 0)
    if job.night:
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        gray = cv2.convertScaleAbs(gray, alpha=rng.uniform(1.2, 1.5), beta=rng.uniform(-90, -50))
        img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    else:
        img = cv2.convertScaleAbs(img, alpha=rng.uniform(0.85, 1.08), beta=rng.uniform(-20, 10))
    return _add_noise(img, rng, job.seed, 0.7 if job.night else 0.25)


def render_overview(job: RenderJob, face: np.ndarray, rng: np.random.Generator
                    ) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The scene with the car and its plate; returns the image and the plate's box in it."""
    img = _background(job.seed, job.camera, job.night).copy()
    near = rng.uniform(0.0, 1.0)
    ground = int(OVERVIEW_H * (0.80 + 0.17 * near))
    width = int(250 + 190 * near)
    cx = int(OVERVIEW_W * rng.uniform(0.36, 0.64))
    paint = COLOR_BGR.get(job.color, (120, 120, 120))
    x, y, w, h = draw_car(img, cx, ground, width, job.body_type, paint, job.night)
    plate = cv2.resize(face, (w, h), interpolation=cv2.INTER_AREA)
    if job.night:
        plate = cv2.convertScaleAbs(plate, alpha=0.75, beta=0)
    img[y : y + h, x : x + w] = plate
    # Soften the car: motion or focus blur, stronger on some frames.
    x0, x1 = max(0, cx - width // 2 - 24), min(OVERVIEW_W, cx + width // 2 + 24)
    y0, y1 = max(0, ground - int(width * 1.35)), min(OVERVIEW_H, ground + 24)
    ksize = 5 if rng.random() < 0.25 else 3
    roi = cv2.GaussianBlur(img[y0:y1, x0:x1], (ksize, ksize), 0)
    img[y0:y1, x0:x1] = _add_noise(roi, rng, job.seed, 0.6) if job.night else roi
    cv2.rectangle(img, (0, 0), (OVERVIEW_W, 36), (0, 0, 0), -1)
    cv2.putText(img, job.caption, (12, 25), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (235, 235, 235), 1,
                cv2.LINE_AA)
    return img, (x, y, w, h)


@lru_cache(maxsize=512)
def _face(plate: str, state: str, commercial: bool) -> np.ndarray:
    """Commuters' plates recur in almost half the reads; their faces are drawn once."""
    face = plate_face(plate, state, commercial)
    face.flags.writeable = False
    return face


def render_read(job: RenderJob) -> Rendered:
    """Both images of one read, encoded; a pure function of ``job``."""
    rng = _rng(job.seed, _READ_STREAM, job.index)
    face = _face(job.plate, job.state, job.commercial)
    crop = render_crop(job, face, rng)
    overview, bbox = render_overview(job, face, rng)
    return Rendered(job.index, encode_jpeg(crop), encode_jpeg(overview, OVERVIEW_QUALITY), bbox)
