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
              candidates: dict[int, list[str]] | None = None, *,
              inline: bool = False) -> list[int]:
    """Reads (plate, recorded_at) with a crop and an overview each; ``candidates`` maps a
    position to alternate plates. ``inline``: the images' bytes in their rows, as a store
    from before migration 0023 holds them (new images go to segment files)."""
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
    if inline:
        add_inline_images(store, blobs)
    else:
        ImageRepo(store).put_many(blobs)
    return ids


def add_inline_images(store: Store, blobs: list[ImageBlob]) -> None:
    """Image rows the way the program wrote them before segment files (migration 0023)."""
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO images(read_id, kind, format, data, sha256, size) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(b.read_id, b.kind, b.format, b.data, b.sha256, len(b.data)) for b in blobs])


def present(store: Store, read_id: int) -> bool:
    return store.query_one("SELECT 1 FROM reads WHERE id = ?", (read_id,)) is not None
