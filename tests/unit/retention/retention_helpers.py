"""Reads with images at chosen times, for the retention tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())  # type: ignore[misc]


def image_bytes(plate: str, rid: int, kind: str) -> bytes:
    """Recognizable, incompressible-looking image bytes for a read (the page scan looks for
    them)."""
    seed = f"IMG:{plate}:{rid}:{kind}:".encode()
    out = bytearray(seed)
    while len(out) < 3000:
        out += hashlib.sha256(bytes(out[-32:]) + seed).digest()
    return bytes(out)


def add_reads(store: Store, reads: list[tuple[str, int]],
              candidates: dict[int, list[str]] | None = None) -> list[int]:
    """Reads (plate, recorded_at) with a crop and an overview each; ``candidates`` maps a
    position to alternate plates."""
    cams = CameraRepo(store)
    cam = cams.by_name("Avalon & 223rd NB")
    cam_id = cam.id if cam else cams.add(Camera(None, "Avalon & 223rd NB", "Carson"))
    new = [
        NewRead(p, t, cam_id, state="CA", make="Honda",
                candidates=tuple((c, 0.5) for c in (candidates or {}).get(i, [])))
        for i, (p, t) in enumerate(reads)
    ]
    ids = ReadRepo(store).insert_many(new)
    blobs = []
    for rid, (plate, _) in zip(ids, reads, strict=True):
        for kind in ("crop", "overview"):
            data = image_bytes(plate, rid, kind)
            blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
    ImageRepo(store).put_many(blobs)
    return ids


def present(store: Store, read_id: int) -> bool:
    return store.query_one("SELECT 1 FROM reads WHERE id = ?", (read_id,)) is not None
