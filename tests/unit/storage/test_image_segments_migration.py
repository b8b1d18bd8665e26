"""Migration 0023 on a store written before it (images inline in their rows): the old images
read as before, new ones go to segment files, and the purge erases both kinds; an extract of
such a store carries every image inline."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.extract_store import released_rows
from alpr_desktop.storage.image_segments import segment_dir

OLD_TIME = 1_623_750_000  # 2021-06-15
NEW_TIME = OLD_TIME + 86_400


def _blob(rid: int, kind: str) -> ImageBlob:
    data = hashlib.sha256(f"{rid}{kind}".encode()).digest() * 100
    return ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest())


def test_a_store_from_before_0023_keeps_its_inline_images_and_adds_segmented_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", secrets.token_bytes(32)
    everything = db._load_migrations()
    monkeypatch.setattr(db, "_load_migrations",
                        lambda: tuple(m for m in everything if m.version != 23))
    old = create_store(path, key)
    cam = old.cameras.add(Camera(None, "Cam", ""))
    (rid_old,) = old.reads.insert_many([NewRead("7ABC123", OLD_TIME, cam)])
    with old.transaction() as c:  # the insert the program made before 0023
        c.executemany(
            "INSERT INTO images(read_id, kind, format, data, sha256, size) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(b.read_id, b.kind, b.format, b.data, b.sha256, len(b.data))
             for b in (_blob(rid_old, "crop"), _blob(rid_old, "overview"))])
    old.close()
    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as store:
        assert 23 in {r[0] for r in store.query("SELECT version FROM schema_version")}
        assert [b.data for b in store.images.for_read(rid_old)] == [
            _blob(rid_old, "crop").data, _blob(rid_old, "overview").data]
        (rid_new,) = store.reads.insert_many([NewRead("7ABC124", NEW_TIME, cam)])
        store.images.put_many([_blob(rid_new, "crop")])
        assert store.query_one("SELECT seg IS NOT NULL, length(data) FROM images "
                               "WHERE read_id = ?", (rid_new,)) == (1, 0)
        assert store.images.for_read(rid_new)[0].data == _blob(rid_new, "crop").data
        # An extract holds both inline, so it travels without the segment folder.
        rows = released_rows(store, [rid_old, rid_new]).tables[-1]
        col = {c: i for i, c in enumerate(rows.columns)}
        by_read = {r[col["read_id"]]: r for r in rows.rows}
        assert bytes(by_read[rid_new][col["data"]]) == _blob(rid_new, "crop").data
        assert all(r[col["seg"]] is None and r[col["seg_key"]] is None for r in rows.rows)
        # The purge erases both kinds.
        clock = FixedClock(deletion_time(NEW_TIME) * 1000)
        result = RetentionService(store, clock).purge()
        assert (result.reads_deleted, result.images_deleted) == (2, 3)
        assert store.images.count() == 0
        assert list(segment_dir(path).iterdir()) == []
