"""A plate crop cut from the overview at the plate's box, for a read whose export gave a box
but no crop. It is derived, not what the camera stored: the viewer marks it so, and it is
never written back to the store or hashed as evidence."""

from __future__ import annotations

import numpy as np

MARGIN = 0.15  # of the box's size on each side: the plate's edge stays in view


def cut_plate(image: np.ndarray, x: int, y: int, w: int, h: int,
              margin: float = MARGIN) -> np.ndarray | None:
    """A copy of the box (widened by ``margin``) clipped to ``image``; None when nothing of
    the box lies inside it."""
    if w <= 0 or h <= 0 or image.ndim < 2:
        return None
    height, width = image.shape[:2]
    dx, dy = round(w * margin), round(h * margin)
    x0, y0 = max(x - dx, 0), max(y - dy, 0)
    x1, y1 = min(x + w + dx, width), min(y + h + dy, height)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return np.ascontiguousarray(image[y0:y1, x0:x1]).copy()
