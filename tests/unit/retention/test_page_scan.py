"""Deleted means unrecoverable from the store file: after a purge, no page of the file or its
WAL, free pages included, decrypts to a purged read's plate or image bytes (issue 14)."""

from __future__ import annotations

from pathlib import Path

from page_scan import decrypted_pages, find
from retention_helpers import add_reads, image_bytes, utc

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store

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


def test_no_page_decrypts_to_a_purged_plate_or_image(
    store: Store, store_path: Path, store_key: bytes, clock: FixedClock
) -> None:
    doomed_plates = [_plate(i) for i in range(150)]
    doomed = add_reads(store, [(p, R + i) for i, p in enumerate(doomed_plates)])
    living_plates = [f"LV{i:03d}KP" for i in range(30)]
    living = add_reads(store, [(p, R + 400 * 86_400) for p in living_plates])
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


def test_free_pages_are_handed_back(store: Store, store_path: Path, clock: FixedClock,
                                    store_key: bytes) -> None:
    plates = [_plate(i) for i in range(300)]
    add_reads(store, [(p, R) for p in plates])
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
