"""Images in segment files under keys of their own (storage/image_segments.py, issue 14):
what is written opens again and only with its row's key; a damaged, moved or missing image is
a clear error; a hostile row cannot point outside the folder; a rolled-back write leaves no
key; unlinking respects the rows and the write lock's order."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.storage import Store
from alpr_desktop.storage.errors import StoreCorrupt, StoreError
from alpr_desktop.storage.image_segments import MAGIC, ImageSegments, SegmentRef, segment_dir

DAY1 = 1_623_750_000  # 2021-06-15 09:40 UTC
DAY2 = DAY1 + 86_400


def _reads(store: Store, times: list[int], first: int = 0) -> list[int]:
    found = store.cameras.by_name("Main & 1st")
    cam = found.id if found else store.cameras.add(Camera(None, "Main & 1st", "Carson"))
    return store.reads.insert_many([NewRead(f"SG{first + i:03d}AB", t, cam)
                                    for i, t in enumerate(times)])


def _blob(rid: int, kind: str, size: int = 5000) -> ImageBlob:
    data = (f"{rid}:{kind}:".encode() * size)[:size]
    return ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest())


def test_round_trip_one_file_per_day_and_writer(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1, DAY1 + 60, DAY2])
    blobs = [_blob(rid, kind) for rid in ids for kind in ("crop", "overview")]
    store.images.put_many(blobs)
    for rid in ids:
        assert store.images.for_read(rid) == sorted(
            (b for b in blobs if b.read_id == rid), key=lambda b: b.kind)
    folder = segment_dir(store_path)
    names = sorted(p.name for p in folder.iterdir())
    assert [n[:8] for n in names] == ["20210615", "20210616"]
    assert all(n.endswith(f"-{store.segments.token}.seg") for n in names)
    for n in names:
        raw = (folder / n).read_bytes()
        assert raw.startswith(MAGIC)
        assert not any(b.data[:64] in raw for b in blobs)  # ciphertext only
    # A second connection writes files of its own: two writers never share an append.
    other = store.reopen()
    try:
        extra = _reads(other, [DAY1 + 120], first=50)
        other.images.put_many([_blob(extra[0], "crop")])
        assert len(list(folder.iterdir())) == 3
        assert other.images.for_read(extra[0])[0].data == _blob(extra[0], "crop").data
        assert store.images.for_read(extra[0])[0].data == _blob(extra[0], "crop").data
    finally:
        other.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_folder_and_files_are_owner_only(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1])
    store.images.put_many([_blob(ids[0], "crop")])
    folder = segment_dir(store_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def _row(store: Store, rid: int) -> tuple[str, int, int, bytes]:
    row = store.query_one("SELECT seg, seg_off, seg_len, seg_key FROM images WHERE read_id = ?",
                          (rid,))
    assert row is not None
    return str(row[0]), int(row[1]), int(row[2]), bytes(row[3])


def test_a_flipped_byte_is_damage_not_other_bytes(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1])
    store.images.put_many([_blob(ids[0], "crop")])
    name, off, _, _ = _row(store, ids[0])
    path = segment_dir(store_path) / name
    raw = bytearray(path.read_bytes())
    raw[off + 10] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreCorrupt, match="damaged or was altered"):
        store.images.for_read(ids[0])


def test_bytes_moved_to_another_place_do_not_open(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1, DAY1 + 1])
    store.images.put_many([_blob(ids[0], "crop"), _blob(ids[1], "crop")])
    a, b = _row(store, ids[0]), _row(store, ids[1])
    # The second row pointed at the first image's bytes, with the first image's key.
    store.execute("UPDATE images SET seg_off = ?, seg_len = ?, seg_key = ? WHERE read_id = ?",
                  (b[1], a[2], a[3], ids[1]))
    with pytest.raises(StoreCorrupt):
        store.images.for_read(ids[1])


def test_a_missing_folder_is_a_clear_error(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1])
    store.images.put_many([_blob(ids[0], "crop")])
    for p in segment_dir(store_path).iterdir():
        p.unlink()
    with pytest.raises(StoreError, match="copied without that folder"):
        store.images.for_read(ids[0])


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "20210615-abc.seg",
                                  "20210615-0123456789abcdef.seg/../../x"])
def test_a_hostile_segment_name_is_refused(store: Store, name: str) -> None:
    ids = _reads(store, [DAY1])
    store.images.put_many([_blob(ids[0], "crop")])
    store.execute("UPDATE images SET seg = ? WHERE read_id = ?", (name, ids[0]))
    with pytest.raises(StoreCorrupt, match="image row of this store is damaged"):
        store.images.for_read(ids[0])


def test_a_rolled_back_write_leaves_ciphertext_without_a_key(store: Store,
                                                              store_path: Path) -> None:
    ids = _reads(store, [DAY1])
    with pytest.raises(RuntimeError), store.transaction():
        store.images.put_many([_blob(ids[0], "crop")])
        raise RuntimeError("the import failed")
    assert store.images.for_read(ids[0]) == []
    files = list(segment_dir(store_path).iterdir())
    assert len(files) == 1 and files[0].stat().st_size > len(MAGIC)  # bytes, but no row
    # The purge's sweep takes such a file away once its day has expired.
    with store.transaction():
        assert store.retention.drop_segments(DAY1 + 86_400) == 1
    assert list(segment_dir(store_path).iterdir()) == []


def test_an_image_for_a_read_that_is_not_stored_is_refused(store: Store,
                                                           store_path: Path) -> None:
    with pytest.raises(StoreError, match="not stored"):
        store.images.put_many([_blob(987_654, "crop")])
    assert not segment_dir(store_path).exists() or not any(segment_dir(store_path).iterdir())


def test_unlink_keeps_a_segment_a_row_still_uses(store: Store, store_path: Path) -> None:
    ids = _reads(store, [DAY1, DAY1 + 5])
    store.images.put_many([_blob(ids[0], "crop"), _blob(ids[1], "crop")])
    name = _row(store, ids[0])[0]
    store.execute("DELETE FROM images WHERE read_id = ?", (ids[0],))
    with store.transaction():
        assert store.retention.drop_segments(0, [name]) == 0  # the other row uses it
    store.execute("DELETE FROM images WHERE read_id = ?", (ids[1],))
    with store.transaction():
        assert store.retention.drop_segments(0, [name]) == 1
    assert not (segment_dir(store_path) / name).exists()


def test_a_writer_after_an_unlink_starts_the_file_afresh(store: Store, store_path: Path) -> None:
    """The purge unlinks under the write lock; a writer opens its file under it too, so the
    next append after an unlink creates a new file rather than writing into a removed one."""
    ids = _reads(store, [DAY1, DAY1 + 5])
    store.images.put_many([_blob(ids[0], "crop")])
    name = _row(store, ids[0])[0]
    store.execute("DELETE FROM images WHERE read_id = ?", (ids[0],))
    with store.transaction():
        store.retention.drop_segments(0, [name])
    store.images.put_many([_blob(ids[1], "crop")])
    assert _row(store, ids[1])[:2] == (name, len(MAGIC))
    assert store.images.for_read(ids[1])[0].data == _blob(ids[1], "crop").data


def test_expired_lists_only_whole_days_at_or_before_the_cutoff(tmp_path: Path) -> None:
    seg = ImageSegments(tmp_path / "s.alprdb")
    seg.dir.mkdir()
    for name in ("20210615-0123456789abcdef.seg", "20210616-0123456789abcdef.seg",
                 "notes.txt", "2021061-0123456789abcdef.seg"):
        (seg.dir / name).write_bytes(MAGIC)
    end_of_15th = 1_623_801_600 - 1  # 2021-06-15 23:59:59 UTC
    assert seg.expired(end_of_15th - 1) == []
    assert seg.expired(end_of_15th) == ["20210615-0123456789abcdef.seg"]
    assert seg.expired(end_of_15th + 86_400) == ["20210615-0123456789abcdef.seg",
                                                 "20210616-0123456789abcdef.seg"]


def test_a_short_read_is_damage(tmp_path: Path) -> None:
    seg = ImageSegments(tmp_path / "s.alprdb")
    ref = seg.append([(DAY1, b"x" * 100)])[0]
    path = seg.dir / ref.name
    with open(path, "r+b") as f:
        f.truncate(ref.offset + 10)
    with pytest.raises(StoreCorrupt):
        seg.read(ref)
    with pytest.raises(StoreCorrupt):
        seg.read(SegmentRef(ref.name, ref.offset, ref.length, b"short"))


def test_keys_are_per_image(tmp_path: Path) -> None:
    seg = ImageSegments(tmp_path / "s.alprdb")
    refs = seg.append([(DAY1, b"a" * 50), (DAY1, b"a" * 50)])
    assert refs[0].key != refs[1].key and refs[0].offset != refs[1].offset
    assert json.dumps([r.offset for r in refs]) == json.dumps(
        [len(MAGIC), len(MAGIC) + refs[0].length])
    assert os.path.getsize(seg.dir / refs[0].name) == len(MAGIC) + refs[0].length * 2
