"""Two processes posting the same store's recent reads at once (the GUI's upkeep after a
sign-in and a command-line import's preparation, issue 20), while a third adds reads: each
step reads its state inside its own write transaction, so the postings end exactly those of
the reads in the window, each once, and the postings say they are ready."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_grams import DAY, ReadGrams, grams_of
from alpr_desktop.storage.reads import CameraRepo

T0 = 1_767_225_600
CHILD = Path(__file__).with_name("read_grams_child.py")
PLATES = ["7AB1234", "7AB1299", "8AB1200", "AB12", "9XY0001", "5AB9AB1", "4QRS555"]


def _reads(store: Store, cam: int, n: int, rng: random.Random, days: int) -> None:
    store.reads.insert_many([
        NewRead(rng.choice(PLATES), T0 - rng.randrange(days * DAY), cam) for _ in range(n)])


def _child(path: Path, key: bytes, batch: int) -> subprocess.Popen[str]:
    env = {**os.environ, "ALPR_TEST_KEY": key.hex(),
           "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path])}
    return subprocess.Popen([sys.executable, str(CHILD), str(path), str(T0), str(batch)],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _want(store: Store, floor: int) -> list[tuple]:
    rows = store.query("SELECT r.id, r.recorded_at, r.plate_id, p.plate_norm FROM reads r "
                       "JOIN plates p ON p.id = r.plate_id WHERE r.recorded_at >= ?", (floor,))
    return sorted((at // DAY, g, at, rid, pid)
                  for rid, at, pid, plate in rows for g in grams_of(plate))


def test_two_processes_post_at_once_while_reads_arrive(
    store: Store, store_path: Path, key: bytes,
) -> None:
    rng = random.Random(5)
    cam = CameraRepo(store).add(Camera(None, "CAM-1", "Avalon Blvd"))
    _reads(store, cam, 3_000, rng, days=45)  # some below the window's floor
    kids = [_child(store_path, key, batch=37) for _ in range(2)]
    for k in kids:  # both have the store open: start them together
        assert k.stdout is not None and k.stdout.readline().strip() == "ready"
    for k in kids:
        assert k.stdin is not None
        k.stdin.write("go\n")
        k.stdin.close()
        k.stdin = None  # communicate() below reads what is left, with nothing to send
    for _ in range(6):  # an import's batches, committed while both post
        _reads(store, cam, 150, rng, days=3)
    outs = [k.communicate(timeout=300) for k in kids]
    assert [k.returncode for k in kids] == [0, 0], [o[1] for o in outs]
    assert sum(int(o[0]) for o in outs) > 0
    grams = ReadGrams(store)
    grams.run(give_way=0, now=T0)  # what the reads added last still need
    floor = grams.ready()
    assert floor is not None
    got = store.query("SELECT day, gram, recorded_at, read_id, plate_id FROM read_grams "
                      "ORDER BY day, gram, recorded_at, read_id")
    assert [tuple(r) for r in got] == _want(store, floor)
    assert store.scalar("SELECT count(*) FROM read_grams WHERE recorded_at < ?", (floor,)) == 0
