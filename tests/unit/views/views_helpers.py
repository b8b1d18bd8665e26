"""Seed data for the investigator-view tests: placed cameras, reads of one plate over weeks
with real JPEG images, a look-alike, a candidate read and vehicles to describe."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import cv2
import numpy as np

from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z (a Thursday; 2025-12-31 16:00 in Carson)
HOUR = 3600
DAY = 86_400


def jpeg(seed: int, w: int = 120, h: int = 40) -> bytes:
    img = np.full((h, w, 3), (seed * 37) % 255, np.uint8)
    cv2.putText(img, str(seed), (5, h - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok
    return buf.tobytes()


@dataclass
class Seeded:
    cams: list[int]
    plate_ids: list[int]  # 7ABC123, oldest first
    lookalike_id: int  # 7A8C123 (B/8 look-alike)
    candidate_id: int  # 9ZZZ999 with 7ABC123 among its alternates
    other_ids: list[int]  # vehicles for the description search


def seed(store: Store) -> Seeded:
    cams = [
        CameraRepo(store).add(Camera(None, "Avalon & Carson NB", "Carson", 33.8317, -118.2620)),
        CameraRepo(store).add(Camera(None, "Figueroa & 223rd SB", "Carson", 33.8240, -118.2820)),
        CameraRepo(store).add(Camera(None, "Unplaced reader", "Carson")),
    ]
    times = [T0 + 0 * HOUR, T0 + 2 * HOUR, T0 + 5 * DAY, T0 + 5 * DAY + HOUR, T0 + 9 * DAY]
    new = [NewRead("7ABC123", t, cams[i % 2], state="CA", make="Honda", model="Civic",
                   color="Silver", body_type="Sedan", direction="NB") for i, t in enumerate(times)]
    new.append(NewRead("7A8C123", T0 + 3 * DAY, cams[0], state="CA", make="Honda"))
    new.append(NewRead("9ZZZ999", T0 + 4 * DAY, cams[1], state="CA",
                       candidates=(("7ABC123", 0.4),)))
    new += [
        NewRead("4TRK001", T0 + 6 * HOUR, cams[0], state="CA", make="Ford", model="F-150",
                color="Red", body_type="Pickup", direction="SB"),
        NewRead("4TRK002", T0 + 7 * HOUR, cams[1], state="NV", make="=HYPERLINK(1)",
                color="Red", body_type="Pickup", direction="NB"),
        NewRead("5OLD000", T0 - 30 * DAY, cams[0], state="CA", make="Ford", color="Red"),
    ]
    ids = ReadRepo(store).insert_many(new)
    blobs = []
    for rid in ids:
        for kind, size in (("crop", (120, 40)), ("overview", (320, 200))):
            data = jpeg(rid + (0 if kind == "crop" else 100), *size)
            blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
    ImageRepo(store).put_many(blobs)
    return Seeded(cams, ids[:5], ids[5], ids[6], ids[7:])
