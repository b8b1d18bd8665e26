"""Small images for the import tests (a module, not conftest: pytest puts every test
folder's conftest under the one name 'conftest', so importing from it picks the wrong one)."""

from __future__ import annotations

import cv2
import numpy as np


def jpeg(w: int = 40, h: int = 20) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.full((h, w, 3), 128, np.uint8))
    assert ok
    return buf.tobytes()


def png(w: int = 40, h: int = 20) -> bytes:
    ok, buf = cv2.imencode(".png", np.full((h, w), 200, np.uint8))
    assert ok
    return buf.tobytes()
