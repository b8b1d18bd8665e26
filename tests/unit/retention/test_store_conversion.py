"""A store created before auto_vacuum = INCREMENTAL keeps its freed pages (issue 14: "the file
does not keep old ciphertext forever"). Converting it is one VACUUM, done at a custodian's or
an administrator's command: all or nothing, cancellable, safe against a kill, logged; after a
purge and the conversion no page of the file or its WAL decrypts to a purged plate or image."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from access_helpers import World, log_entries
from page_scan import find
from retention_helpers import add_reads, image_bytes, utc

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.services.retention import RetentionService
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo

R = utc(2021, 6, 15, 10, 30, 5)
CHILD = Path(__file__).with_name("conversion_child.py")


def _make_old(store: Store) -> None:
    """What a store made before the change looks like: auto_vacuum NONE."""
    store.execute("PRAGMA auto_vacuum = NONE")
    store.execute("VACUUM")
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert store.query_one("PRAGMA auto_vacuum") == (0,)


def _needles(plates: list[str], ids: list[int]) -> list[bytes]:
    out = [p.encode() for p in plates]
    for plate, rid in zip(plates, ids, strict=True):
        for kind in ("crop", "overview"):
            img = image_bytes(plate, rid, kind)
            out += [img[100:164], img[2000:2064]]
    return out


def _fill(world: World) -> tuple[list[bytes], list[bytes]]:
    doomed_plates = [f"QZ{i:03d}XW" for i in range(200)]
    # An old store holds its images inline (before migration 0023).
    doomed = add_reads(world.store, [(p, R + i) for i, p in enumerate(doomed_plates)],
                       inline=True)
    living_plates = [f"LV{i:03d}KP" for i in range(30)]
    living = add_reads(world.store, [(p, R + 400 * 86_400) for p in living_plates],
                       inline=True)
    return _needles(doomed_plates, doomed), _needles(living_plates, living)


def test_old_store_purged_and_converted_keeps_no_purged_page(
    world: World, store_path: Path, store_key: bytes
) -> None:
    _make_old(world.store)
    doomed, living = _fill(world)
    world.clock.ms = deletion_time(R + 300) * 1000
    service = RetentionService(world.store, world.clock)
    assert service.purge().reads_deleted == 200
    repo = world.store.retention
    assert not repo.auto_vacuum_incremental()
    free_before = repo.free_pages()
    assert free_before > 0  # the old store kept the freed pages: the file did not shrink
    size_before = store_path.stat().st_size
    shares: list[float] = []
    done = service.convert_store(world.ctx("keeper"), progress=shares.append)
    assert done.converted and done.free_before == free_before
    assert repo.auto_vacuum_incremental() and repo.free_pages() == 0
    assert store_path.stat().st_size < size_before
    assert shares and shares[-1] == 1.0 and shares == sorted(shares)
    # No page of the file, free or not, nor of the WAL, holds a purged plate or image ...
    assert find(store_path, store_key, doomed) == set()
    # ... and the living reads are all there (the scan is not blind).
    assert find(store_path, store_key, living) == set(living)
    stages = [e.detail["stage"] for e in log_entries(world.store, "retention.store_conversion")]
    assert stages == ["started", "finished"]
    # From now on the purge hands pages back by itself.
    add_reads(world.store, [("QZ999XW", R)])
    service.purge()
    assert repo.free_pages() == 0
    again = service.convert_store(world.ctx("keeper"))
    assert not again.converted


def test_an_administrator_may_convert_an_analyst_may_not(world: World) -> None:
    _make_old(world.store)
    service = RetentionService(world.store, world.clock)
    with pytest.raises(NotAuthorized):
        service.convert_store(world.ctx("officer"))
    assert not world.store.retention.auto_vacuum_incremental()
    assert service.convert_store(world.ctx("root")).converted


def test_cancelled_conversion_leaves_the_store_as_it_was(world: World) -> None:
    _make_old(world.store)
    _fill(world)
    count = world.store.scalar("SELECT count(*) FROM reads")
    service = RetentionService(world.store, world.clock)
    from alpr_desktop.storage import retention as retention_storage

    retention_storage.VACUUM_TICK_OPS, saved = 200, retention_storage.VACUUM_TICK_OPS
    try:
        with pytest.raises(Cancelled):
            service.convert_store(world.ctx("keeper"), cancel=lambda: True)
    finally:
        retention_storage.VACUUM_TICK_OPS = saved
    assert not world.store.retention.auto_vacuum_incremental()
    assert world.store.scalar("SELECT count(*) FROM reads") == count
    assert world.store.query_one("PRAGMA integrity_check") == ("ok",)
    stages = [(e.detail["stage"], e.outcome)
              for e in log_entries(world.store, "retention.store_conversion")]
    assert stages == [("started", "ok"), ("cancelled", "failed")]


def test_a_conversion_killed_midway_loses_nothing(world: World, store_path: Path,
                                                  store_key: bytes) -> None:
    _make_old(world.store)
    _fill(world)
    world.clock.ms = deletion_time(R + 100) * 1000
    RetentionService(world.store, world.clock).purge()
    reads = world.store.query("SELECT id, plate_id, recorded_at FROM reads ORDER BY id")
    images = world.store.query("SELECT id, sha256 FROM images ORDER BY id")
    head = AccessLogRepo(world.store).head()
    world.store.close()
    env = {**os.environ, "ALPR_TEST_KEY": store_key.hex(),
           "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    child = subprocess.run([sys.executable, str(CHILD), str(store_path), "5"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == -9, child.stderr  # killed inside the VACUUM
    assert "killing" in child.stdout and "finished" not in child.stdout
    store = open_store(store_path, store_key)
    try:
        assert store.query_one("PRAGMA integrity_check") == ("ok",)
        assert store.query("SELECT id, plate_id, recorded_at FROM reads ORDER BY id") == reads
        assert store.query("SELECT id, sha256 FROM images ORDER BY id") == images
        assert AccessLogRepo(store).head() == head and AccessLogRepo(store).verify().intact
        assert not store.retention.auto_vacuum_incremental()  # not converted, not damaged
        store.retention.convert_to_incremental()  # run again: it completes
        assert store.retention.auto_vacuum_incremental()
        assert store.query("SELECT id, plate_id, recorded_at FROM reads ORDER BY id") == reads
    finally:
        store.close()
