"""Deleted means unrecoverable from the store file: after a purge, no page of the file or its
WAL, free pages included, decrypts to a purged read's plate, image bytes or image key, and the
image segment files of an expired day are gone (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from page_scan import decrypted_pages, find
from retention_helpers import add_reads, image_bytes, utc

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store
from alpr_desktop.storage.image_segments import segment_dir

R = utc(2021, 6, 15, 10, 30, 5)


def _plate(i: int) -> str:
    return f"QZ{i:03d}XW"  # letters that no other row holds


def _needles(plates: list[str], ids: list[int]) -> list[bytes]:
    out = [p.encode() for p in plates]
    for plate, rid in zip(plates, ids, strict=True):
        for kind in ("crop", "overview"):
            img = image_bytes(plate, rid, kind)
            out += [img[100:164], img[2000:2064]]  # bytes from inside each image
    return out


def test_no_page_decrypts_to_a_purged_plate_or_inline_image(
    store: Store, store_path: Path, store_key: bytes, clock: FixedClock
) -> None:
    """Images inline in their rows (a store from before segment files): their pages are
    overwritten and handed back."""
    doomed_plates = [_plate(i) for i in range(150)]
    doomed = add_reads(store, [(p, R + i) for i, p in enumerate(doomed_plates)], inline=True)
    living_plates = [f"LV{i:03d}KP" for i in range(30)]
    living = add_reads(store, [(p, R + 400 * 86_400) for p in living_plates], inline=True)
    needles = _needles(doomed_plates, doomed)
    # The scanner sees what is there: before the purge every plate and image is readable.
    assert find(store_path, store_key, needles) == set(needles)
    clock.ms = deletion_time(R + 200) * 1000
    result = RetentionService(store, clock).purge()
    assert result.reads_deleted == 150
    assert find(store_path, store_key, needles) == set()
    # ... while the living reads are still found (the scan is not blind after the purge)
    live = _needles(living_plates, living)
    assert find(store_path, store_key, live) == set(live)


def _image_keys(store: Store, ids: list[int]) -> dict[bytes, str]:
    rows = store.query(
        "SELECT seg_key, seg FROM images WHERE read_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),))
    return {bytes(k): str(seg) for k, seg in rows}


def _plain_in_files(folder: Path, needles: list[bytes]) -> set[bytes]:
    data = b"".join(f.read_bytes() for f in folder.iterdir()) if folder.is_dir() else b""
    return {n for n in needles if n in data}


def test_a_purged_image_is_erased_with_its_key_and_its_segment_unlinked(
    store: Store, store_path: Path, store_key: bytes, clock: FixedClock, tmp_path: Path
) -> None:
    """Images in segment files: each under a key of its own that only its row holds. After
    the purge no page of the store or its WAL holds a purged image's key (so no copy of the
    segment, taken at any time, opens), and the expired day's segment file is gone."""
    doomed_plates = [_plate(i) for i in range(150)]
    doomed = add_reads(store, [(p, R + i) for i, p in enumerate(doomed_plates)])
    living_plates = [f"LV{i:03d}KP" for i in range(30)]
    living = add_reads(store, [(p, R + 400 * 86_400) for p in living_plates])
    folder = segment_dir(store_path)
    doomed_keys = _image_keys(store, doomed)
    living_keys = _image_keys(store, living)
    assert len(doomed_keys) == 300 and len(living_keys) == 60
    doomed_segments = set(doomed_keys.values())
    assert doomed_segments.isdisjoint(living_keys.values())  # another day, another file
    images = [n for n in _needles(doomed_plates, doomed) if n not in
              {p.encode() for p in doomed_plates}]
    # Neither the store's pages nor the segment files hold an image's bytes in clear ...
    assert find(store_path, store_key, images) == set()
    assert _plain_in_files(folder, images) == set()
    # ... while every key and plate is there before the purge (the scan is not blind).
    needles = [p.encode() for p in doomed_plates] + list(doomed_keys)
    assert find(store_path, store_key, needles) == set(needles)
    clock.ms = deletion_time(R + 200) * 1000
    result = RetentionService(store, clock).purge()
    assert (result.reads_deleted, result.images_deleted) == (150, 300)
    assert find(store_path, store_key, needles) == set()
    assert not any((folder / name).exists() for name in doomed_segments)
    # The living reads' keys are still in the store and their images open.
    assert find(store_path, store_key, list(living_keys)) == set(living_keys)
    assert all((folder / name).exists() for name in living_keys.values())
    blobs = store.images.for_read(living[0])
    assert [b.data for b in blobs] == [image_bytes(living_plates[0], living[0], k)
                                       for k in ("crop", "overview")]


def test_free_pages_are_handed_back(store: Store, store_path: Path, clock: FixedClock,
                                    store_key: bytes) -> None:
    plates = [_plate(i) for i in range(300)]
    add_reads(store, [(p, R) for p in plates], inline=True)
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = store_path.stat().st_size
    clock.ms = deletion_time(R) * 1000
    RetentionService(store, clock).purge()
    assert store.query_one("PRAGMA freelist_count")[0] == 0
    assert store_path.stat().st_size < size_before / 2
    assert not Path(f"{store_path}-wal").exists() or Path(f"{store_path}-wal").stat().st_size == 0
    assert sum(1 for w, _, _ in decrypted_pages(store_path, store_key) if w == "wal") == 0


def test_the_trigram_index_forgets_purged_plates_at_once(store: Store, clock: FixedClock) -> None:
    """FTS5 secure-delete is on before the first deletion, so no old segment keeps a purged
    plate's trigrams until some later merge."""
    add_reads(store, [("QZ001XW", R)])
    clock.ms = deletion_time(R) * 1000
    RetentionService(store, clock).purge()
    assert store.query_one(
        "SELECT v FROM plates_fts_config WHERE k = 'secure-delete'") == (1,)
