"""A purge killed midway and run again leaves nothing half-deleted and each record written once;
two purges at once in two processes do no harm."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from access_helpers import log_entries
from retention_helpers import add_reads, utc

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.retention import deletion_time
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.retention import RetentionRepo

R = utc(2021, 6, 15, 10, 30, 5)
CHILD = Path(__file__).with_name("purge_child.py")


def _child(store_path: Path, key: bytes, now_s: int, batch: int,
           die_after: int = 0) -> subprocess.Popen[str]:
    env = {**os.environ, "ALPR_TEST_KEY": key.hex(),
           "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    args = [sys.executable, str(CHILD), str(store_path), str(now_s), str(batch)]
    if die_after:
        args.append(str(die_after))
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _fresh(store_path: Path, key: bytes) -> Store:
    return open_store(store_path, key)


def test_a_purge_killed_midway_and_rerun(store: Store, store_path: Path, store_key: bytes,
                                         clock: FixedClock) -> None:
    ids = add_reads(store, [(f"KL{i:03d}AB", R + i) for i in range(60)])
    now = deletion_time(R + 100)
    killed = _child(store_path, store_key, now, 10, die_after=2)
    killed.communicate(timeout=300)
    assert killed.returncode == 9
    s = _fresh(store_path, store_key)
    left = [r[0] for r in s.query("SELECT id FROM reads ORDER BY id")]
    assert left == ids[20:]  # two batches committed, the third rolled back whole
    # nothing half-deleted: every remaining read has both images, and no image is orphaned
    assert s.query_one("SELECT count(*) FROM images")[0] == 2 * len(left)
    assert s.query_one("SELECT count(*) FROM images WHERE read_id NOT IN "
                       "(SELECT id FROM reads)")[0] == 0
    [rec] = RetentionRepo(s).history()
    assert (rec.reads_deleted, rec.images_deleted, rec.finished_ms) == (20, 40, None)
    assert len(log_entries(s, "retention.purge")) == 2  # one per committed batch
    rerun = _child(store_path, store_key, now, 10)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert out.strip() == "40"
    records = RetentionRepo(s).history()
    assert sorted(r.reads_deleted for r in records) == [20, 40]  # the first one untouched
    assert sum(r.images_deleted for r in records) == 120
    assert s.query_one("SELECT count(*) FROM reads")[0] == 0
    assert AccessLogRepo(s).verify().intact
    s.close()


def test_two_purges_at_once(store: Store, store_path: Path, store_key: bytes) -> None:
    add_reads(store, [(f"TW{i:03d}CD", R + i) for i in range(300)])
    [living] = add_reads(store, [("LIVE123", R + 400 * 86_400)])
    now = deletion_time(R + 300)
    kids = [_child(store_path, store_key, now, 5) for _ in range(2)]
    outs = [k.communicate(timeout=300) for k in kids]
    assert [k.returncode for k in kids] == [0, 0], [o[1] for o in outs]
    assert sum(int(o[0]) for o in outs) == 300  # each read deleted once, by one of them
    s = _fresh(store_path, store_key)
    assert [r[0] for r in s.query("SELECT id FROM reads")] == [living]
    assert sum(r.reads_deleted for r in RetentionRepo(s).history()) == 300
    assert s.query_one("SELECT count(*) FROM images")[0] == 2
    assert AccessLogRepo(s).verify().intact
    s.close()
