"""The overview camera's street scene and the car in it, drawn with OpenCV primitives.

Each camera's background (sky, low buildings, palms, road, street sign) is drawn once per
process and cached, day and night, because drawing it per read would cost more than the JPEG
encoding; only the car, its plate and the burned-in caption change from read to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from alpr_desktop.demo.vehicles import (
    COUPE,
    HATCHBACK,
    MINIVAN,
    PICKUP,
    SEDAN,
    SUV,
    TRUCK,
    VAN,
)

OVERVIEW_W, OVERVIEW_H = 960, 540
Color = tuple[int, int, int]


def _shade(color: Color, k: float) -> Color:
    return tuple(int(min(255, max(0, c * k))) for c in color)  # type: ignore[return-value]


def _rgb(values: np.ndarray) -> Color:
    """Three channel values (a row numpy chose) as a colour tuple."""
    r, g, b = (int(v) for v in values)
    return (r, g, b)


# -- background -----------------------------------------------------------------------------
def background(rng: np.random.Generator, sign: str, night: bool) -> np.ndarray:
    """A camera's empty street. ``rng`` must be seeded per camera, not per read, so the day and
    night versions share one layout and every read at a camera shows the same place."""
    w, h = OVERVIEW_W, OVERVIEW_H
    horizon = int(h * rng.uniform(0.34, 0.42))
    vp = int(w * rng.uniform(0.42, 0.58))
    k = 0.28 if night else 1.0
    img = np.empty((h, w, 3), np.uint8)
    top, low = ((60, 30, 20), (90, 60, 45)) if night else ((235, 200, 150), (240, 225, 205))
    t = np.linspace(0, 1, horizon, dtype=np.float32)[:, None, None]
    img[:horizon] = ((1 - t) * np.array(top) + t * np.array(low)).astype(np.uint8)
    img[horizon:] = _shade((120, 128, 132), k)
    # low commercial buildings along the horizon, stucco colours
    x = int(-rng.uniform(0, 60))
    while x < w:
        bw, bh = int(rng.uniform(70, 200)), int(rng.uniform(25, 120))
        wall = _rgb(rng.choice([(170, 190, 205), (150, 160, 170),
                                (120, 150, 185), (200, 205, 210)]))
        cv2.rectangle(img, (x, horizon - bh), (x + bw, horizon + 6), _shade(wall, k), -1)
        rows = range(horizon - bh + 12, horizon - 14, 34) if rng.random() < 0.5 else range(0)
        for wy in rows:
            for wx in range(x + 12, x + bw - 26, 44):
                lit = night and rng.random() < 0.3
                glass = (90, 200, 240) if lit else _shade((90, 80, 70), k)
                cv2.rectangle(img, (wx, wy), (wx + 18, wy + 14), glass, -1)
        x += bw + int(rng.uniform(0, 30))
    # road with perspective, curbs and dashed lanes
    road = np.array([[vp - 30, horizon], [vp + 30, horizon], [int(w * 1.25), h],
                     [int(-w * 0.25), h]], np.int32)
    cv2.fillPoly(img, [road], _shade((88, 88, 92), k), cv2.LINE_AA)
    for side in (-1, 1):
        edge = (int(w * (0.5 + 0.75 * side)), h)
        cv2.line(img, (vp + 30 * side, horizon), edge, _shade((200, 200, 200), k), 3, cv2.LINE_AA)
    for lane in (-0.45, 0.0, 0.45):
        color = (40, 190, 220) if lane == 0.0 else (225, 225, 225)
        for i in range(2, 9):
            a, b = (i / 9) ** 1.6, ((i + 0.4) / 9) ** 1.6
            pa = (int(vp + lane * w * a), int(horizon + (h - horizon) * a))
            pb = (int(vp + lane * w * b), int(horizon + (h - horizon) * b))
            cv2.line(img, pa, pb, _shade(color, k), max(1, int(6 * b)), cv2.LINE_AA)
    # palms on the sidewalk
    for _ in range(int(rng.integers(1, 3))):
        px = int(rng.choice([rng.uniform(0.02, 0.2), rng.uniform(0.8, 0.98)]) * w)
        base, top_y = horizon + int(rng.uniform(20, 60)), int(rng.uniform(0.02, 0.15) * h)
        cv2.line(img, (px, base), (px + int(rng.uniform(-15, 15)), top_y),
                 _shade((60, 85, 110), k), 6, cv2.LINE_AA)
        for ang in np.linspace(0.15 * np.pi, 0.85 * np.pi, 5):
            tip = (int(px + 60 * np.cos(ang) * 1.3), int(top_y + 40 - 45 * np.sin(ang) + 30))
            cv2.line(img, (px, top_y), tip, _shade((50, 120, 60), k), 4, cv2.LINE_AA)
    # street-name sign on a signal mast arm
    sx = int(w * rng.uniform(0.6, 0.8))
    cv2.line(img, (w - 20, horizon + 80), (w - 20, 40), _shade((90, 90, 90), k), 8)
    cv2.line(img, (w - 20, 50), (sx - 40, 50), _shade((90, 90, 90), k), 6)
    cv2.rectangle(img, (sx - 40, 60), (sx + 120, 90), _shade((60, 110, 20), max(k, 0.6)), -1)
    cv2.putText(img, sign, (sx - 32, 83), cv2.FONT_HERSHEY_SIMPLEX, 0.65,
                _shade((255, 255, 255), max(k, 0.7)), 2, cv2.LINE_AA)
    cv2.rectangle(img, (sx - 80, 55), (sx - 52, 125), (20, 20, 20), -1)
    lamp = int(rng.integers(0, 3))
    for i, c in enumerate(((40, 40, 230), (40, 200, 240), (90, 220, 60))):
        cv2.circle(img, (sx - 66, 68 + 22 * i), 8, c if i == lamp else (40, 40, 40), -1)
    if night:  # streetlights: bright cores with a soft halo, blurred only where they are
        for gx in rng.uniform(60, w - 60, 4):
            gy = int(horizon - rng.uniform(40, 90))
            x0, y0 = int(gx) - 48, gy - 48
            glow = np.zeros((96, 96, 3), np.uint8)
            cv2.circle(glow, (48, 48), 10, (150, 210, 255), -1)
            roi = img[max(y0, 0) : y0 + 96, x0 : x0 + 96]
            halo = cv2.GaussianBlur(glow, (0, 0), 12) * 2
            roi[:] = cv2.add(roi, halo[96 - roi.shape[0] :, : roi.shape[1]])
    return cv2.GaussianBlur(img, (5, 5), 0)


# -- the car, seen from behind ----------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """A rear-view outline in units of the car's width, heights measured up from the road."""

    body_top: float
    roof: float
    roof_half: float
    cabin_half: float
    window: tuple[float, float]
    lights: tuple[float, float]
    plate_y: float


SHAPES: dict[str, Shape] = {
    SEDAN: Shape(0.42, 0.66, 0.31, 0.43, (0.45, 0.62), (0.30, 0.39), 0.22),
    SUV: Shape(0.50, 0.86, 0.40, 0.45, (0.56, 0.80), (0.34, 0.56), 0.27),
    PICKUP: Shape(0.46, 0.76, 0.36, 0.40, (0.54, 0.70), (0.24, 0.44), 0.20),
    VAN: Shape(0.55, 1.02, 0.46, 0.48, (0.62, 0.86), (0.20, 0.50), 0.24),
    HATCHBACK: Shape(0.40, 0.68, 0.33, 0.44, (0.43, 0.64), (0.28, 0.40), 0.21),
    COUPE: Shape(0.38, 0.58, 0.24, 0.40, (0.41, 0.55), (0.28, 0.36), 0.20),
    MINIVAN: Shape(0.48, 0.90, 0.42, 0.46, (0.54, 0.82), (0.30, 0.52), 0.25),
    TRUCK: Shape(0.50, 1.30, 0.50, 0.50, (0.0, 0.0), (0.20, 0.36), 0.22),
}
PLATE_WIDTH = 0.24  # of the car's width; plates are 2:1


def draw_car(img: np.ndarray, cx: int, ground: int, width: int, body_type: str,
             paint: Color, night: bool) -> tuple[int, int, int, int]:
    """Draw the car in place and return the plate's box (x, y, w, h) for the caller to fill."""
    s = SHAPES.get(body_type, SHAPES[SEDAN])

    def pt(x: float, y: float) -> tuple[int, int]:
        return int(cx + x * width), int(ground - y * width)

    def poly(points: list[tuple[float, float]], color: Color) -> None:
        cv2.fillPoly(img, [np.array([pt(*p) for p in points], np.int32)], color, cv2.LINE_AA)

    k = 0.4 if night else 1.0
    body = _shade(paint, k)
    cv2.ellipse(img, pt(0, 0.01), (int(width * 0.58), int(width * 0.06)), 0, 0, 360,
                _shade((30, 30, 30), k), -1)
    for side in (-1, 1):  # tyres
        poly([(side * 0.46, 0.0), (side * 0.30, 0.0), (side * 0.30, 0.13), (side * 0.46, 0.13)],
             (22, 22, 22))
    cab = _shade((235, 235, 235), k) if body_type == TRUCK else body
    poly([(-s.cabin_half, s.body_top - 0.01), (s.cabin_half, s.body_top - 0.01),
          (s.roof_half, s.roof), (-s.roof_half, s.roof)], cab)
    poly([(-0.5, 0.10), (0.5, 0.10), (0.49, s.body_top), (-0.49, s.body_top)], body)
    poly([(-0.5, 0.08), (0.5, 0.08), (0.5, 0.14), (-0.5, 0.14)], _shade(paint, 0.55 * k))
    if s.window[1] > s.window[0]:
        y0, y1 = s.window
        span = s.roof - s.body_top
        half0 = s.cabin_half + (s.roof_half - s.cabin_half) * (y0 - s.body_top) / span - 0.05
        half1 = s.cabin_half + (s.roof_half - s.cabin_half) * (y1 - s.body_top) / span - 0.05
        poly([(-half0, y0), (half0, y0), (half1, y1), (-half1, y1)], _shade((60, 55, 50), k))
    light = (70, 70, 255) if night else (40, 40, 190)
    ly0, ly1 = s.lights
    for side in (-1, 1):
        poly([(side * 0.48, ly0), (side * 0.36, ly0), (side * 0.36, ly1), (side * 0.48, ly1)],
             light)
    pw = int(PLATE_WIDTH * width)
    ph = pw // 2
    px, py = pt(0, s.plate_y)
    return px - pw // 2, py - ph // 2, pw, ph
