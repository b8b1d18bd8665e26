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


def insert_old_reads(store: object, rows: list[tuple[str, int, int]]) -> None:
    """Reads (plate, time, camera id) inserted as an older schema holds them: the program's
    ReadRepo writes today's columns, which a store made by older code lacks."""
    with store.transaction() as c:  # type: ignore[attr-defined]
        for plate, ts, camera_id in rows:
            c.execute("INSERT OR IGNORE INTO plates(plate_norm, ocr_key) VALUES (?, ?)",
                      (plate, plate))
            pid = c.execute("SELECT id FROM plates WHERE plate_norm = ?", (plate,)).fetchone()[0]
            c.execute("INSERT INTO reads(plate_id, plate, recorded_at, camera_id) "
                      "VALUES (?, ?, ?, ?)", (pid, plate, ts, camera_id))
