"""Building the demo into a store: deterministic for a seed, whatever the worker count; images
decode and match their hashes; counts add up; cancelling leaves nothing behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.demo import generator
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.plan import plan_reads
from alpr_desktop.security import keys
from alpr_desktop.services.demo_store import DEMO_PASSPHRASE, build_demo_store
from alpr_desktop.services.stores import recover_store
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

N = 120


def _contents(path: Path) -> tuple[list, list]:
    """Every read (as a tuple) and every image's (read, kind, sha256, size, bbox)."""
    store = recover_store(path, DEMO_PASSPHRASE)
    try:
        reads_repo, images_repo = ReadRepo(store), ImageRepo(store)
        reads, images = [], []
        for rid in range(1, reads_repo.count() + 1):
            reads.append(reads_repo.get(rid))
            for im in images_repo.for_read(rid):
                images.append((im.read_id, im.kind, im.sha256, len(im.data), im.bbox))
        return reads, images
    finally:
        store.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "a.alprdb"
    build_demo_store(path, N, seed=11, kdf=keys.KdfParams(n=2**14))
    return path


def test_counts_and_images_decode(built: Path) -> None:
    store = recover_store(built, DEMO_PASSPHRASE)
    try:
        assert store.is_demo
        assert ReadRepo(store).count() == N
        assert ImageRepo(store).count() == 2 * N
        assert len(CameraRepo(store).all()) == len(CAMERAS)
        plan = plan_reads(N, 11)
        assert ReadRepo(store).distinct_plate_count() >= len({r.plate for r in plan})
        for rid in (1, N // 2, N):
            read = ReadRepo(store).get(rid)
            assert read is not None and read.plate == plan[rid - 1].plate
            blobs = {im.kind: im for im in ImageRepo(store).for_read(rid)}
            assert set(blobs) == {"crop", "overview"}
            for im in blobs.values():
                assert hashlib.sha256(im.data).hexdigest() == im.sha256
                img = cv2.imdecode(np.frombuffer(im.data, np.uint8), cv2.IMREAD_COLOR)
                assert img is not None and img.shape[:2] == (im.height, im.width)
            assert blobs["overview"].bbox is not None and blobs["crop"].bbox is None
    finally:
        store.close()


def test_same_seed_identical_regardless_of_workers(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "_POOL_THRESHOLD", 0)  # force the process pool
    other = tmp_path / "b.alprdb"
    build_demo_store(other, N, seed=11, workers=2)
    reads_a, images_a = _contents(built)
    reads_b, images_b = _contents(other)
    assert reads_a == reads_b
    assert images_a == images_b
    assert len(images_a) == 2 * N


def test_other_seed_differs(built: Path, tmp_path: Path) -> None:
    other = tmp_path / "c.alprdb"
    build_demo_store(other, N, seed=12)
    reads_a, images_a = _contents(built)
    reads_c, images_c = _contents(other)
    assert [r.plate for r in reads_a] != [r.plate for r in reads_c]
    assert {i[2] for i in images_a}.isdisjoint({i[2] for i in images_c})


def test_metadata_only(tmp_path: Path) -> None:
    path = tmp_path / "m.alprdb"
    summary = build_demo_store(path, 300, seed=2, images=False)
    assert (summary.reads, summary.images) == (300, 0)
    store = recover_store(path, DEMO_PASSPHRASE)
    try:
        assert ReadRepo(store).count() == 300 and ImageRepo(store).count() == 0
    finally:
        store.close()


def test_progress_and_cancel_leave_nothing_behind(
    tmp_path: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "BATCH", 50)
    seen: list[tuple[int, int]] = []
    path = tmp_path / "x" / "demo.alprdb"
    with pytest.raises(Cancelled):
        build_demo_store(path, 200, seed=1, progress=lambda d, t: seen.append((d, t)),
                         cancel=lambda: len(seen) >= 2)
    assert seen[:2] == [(0, 200), (50, 200)]
    assert list(path.parent.iterdir()) == []
    assert memory_keyring.secrets == {}  # the half-built store's key is forgotten too


def test_refuses_to_overwrite(built: Path) -> None:
    before = built.stat().st_mtime_ns
    with pytest.raises(FileExistsError):
        build_demo_store(built, 10)
    assert built.stat().st_mtime_ns == before
