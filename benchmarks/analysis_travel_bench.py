"""Figures of co-travel, locate and the cloned-plate check (issue 19): co-travel for a plate
with 50 sightings at ±2 minutes, locate for a plate with 2,000 sightings, and the cloned-plate
check over one day of all reads; wall and CPU medians, with the load average.

The store is search_bench's (built there, or reused from its cache) copied aside, with its
cameras given places, a target plate with 50 sightings and a companion 30 s behind it, a plate
with 2,000 sightings, and ten cloned plates (two far cameras minutes apart) on one day.

What each costs grows with the reads near the moments it looks at, not with the store:
co-travel reads each camera's few minutes around each of the 50 sightings; the cloned check
reads every read of the day. So each is also timed on a 1,000,000-read store with the density
of a larger store: co-travel with the tolerance widened by the size ratio (as many reads
around each sighting as ±2 minutes hold at that size) and the cloned check over as many days
as hold one day's reads at that size (the repository and core calls the service makes,
without the service's window limit).

    python benchmarks/analysis_travel_bench.py --reads 1000000
    python benchmarks/analysis_travel_bench.py --small        # 50,000 reads (CI)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _common import use_memory_keyring  # noqa: E402

use_memory_keyring()

import search_bench as sb  # noqa: E402

from alpr_desktop.core.cloned import ClonedLimits, StoreCheck, impossible_pairs  # noqa: E402
from alpr_desktop.core.cotravel import CoTravelRequest, beside, qualifying, rank  # noqa: E402
from alpr_desktop.core.locate import LocateRequest  # noqa: E402
from alpr_desktop.core.models import NewRead  # noqa: E402
from alpr_desktop.services.travel_analysis import TravelAnalysisService  # noqa: E402
from alpr_desktop.storage.db import Store, open_store  # noqa: E402
from alpr_desktop.storage.reads import CameraRepo, ReadRepo  # noqa: E402

TARGET, COMPANION, LOCATE = "9TRV050", "9CNV050", "9LOC200"
SIGHTINGS, LOCATE_READS, CLONES = 50, 2000, 10
DAY = 86_400
FAR = (34.5794, -118.1165)  # a camera 84 km away (Palmdale)


def prepared(total: int) -> tuple[Path, bytes]:
    built = sb.build(total, only="enc")
    where = Path(tempfile.gettempdir()) / "alpr-travel-bench" / str(total)
    path = where / "travel.alprdb"
    if (where / "done").exists():
        return path, built.key
    where.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(built.enc, path)
    store = open_store(path, built.key)
    try:
        rnd = random.Random(19)
        cams = [int(r[0]) for r in store.query("SELECT id FROM cameras ORDER BY id")]
        with store.transaction():
            for i, cid in enumerate(cams):  # a grid of places over Carson
                store.execute("UPDATE cameras SET latitude = ?, longitude = ? WHERE id = ?",
                              (33.80 + (i // 8) * 0.018, -118.29 + (i % 8) * 0.011, cid))
        from alpr_desktop.core.models import Camera
        far = CameraRepo(store).add(Camera(None, "FAR-01", "Palmdale", *FAR))
        start = sb.T_END - 60 * DAY
        new: list[NewRead] = []
        for k in range(SIGHTINGS):  # 50 sightings over 60 days, a companion 30 s behind
            t = start + k * (60 * DAY // SIGHTINGS) + rnd.randint(0, 3600)
            cam = cams[k % len(cams)]
            new.append(NewRead(TARGET, t, cam, state="CA"))
            if k % 2 == 0:
                new.append(NewRead(COMPANION, t + 30, cam, state="CA"))
        t0 = sb.T_END - sb.SPAN
        for k in range(LOCATE_READS):
            cam = cams[0] if k % 3 else cams[k % len(cams)]
            new.append(NewRead(LOCATE, t0 + (k * sb.SPAN) // LOCATE_READS + rnd.randint(0, 3599),
                               cam, state="CA"))
        day = sb.T_END - 30 * DAY
        for k in range(CLONES):
            t = day + k * 3600
            new.append(NewRead(f"9CLN{k:03d}", t, cams[k], state="CA"))
            new.append(NewRead(f"9CLN{k:03d}", t + 600, far, state="CA"))
        ReadRepo(store).insert_many(new)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    (where / "done").write_text("ok")
    return path, built.key


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    walls, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus), out


def cotravel_core(store: Store, req: CoTravelRequest) -> int:
    """The service's pipeline without the tolerance limit (for the denser-store figures)."""
    repo = store.travel_analysis
    target = repo.plate_points(req.plate, req.since, req.until, 2001)
    nearby = repo.points_near([(p.camera_id, p.recorded_at) for p in target], req.tolerance_s)
    pairs = beside(target, nearby, req.tolerance_s)
    found = qualifying(pairs, req)
    history = repo.plates_points(found, req.since, req.until, 20_000)
    ranked = rank(pairs, history, req)
    repo.reads_by_ids(sorted({i for t in ranked for i in t.read_ids}))
    return len(nearby)


def cloned_core(store: Store, since: int, until: int) -> int:
    fixes, _ = store.travel_analysis.fixes_in_window(since, until)
    impossible_pairs(fixes, ClonedLimits())
    return len(fixes)


def measure(path: Path, key: bytes, total: int, runs: int) -> dict[str, float]:
    store = open_store(path, key)
    ctx = sb.signed_in(store)
    svc = TravelAnalysisService(store)
    out: dict[str, float] = {}
    window = (sb.T_END - 61 * DAY, sb.T_END)
    req = CoTravelRequest(TARGET, *window)
    wall, cpu, res = timed(lambda: svc.cotravel(ctx, req), runs)
    # the generated traffic may also hold the target's plate by chance (two reads at 10M)
    assert SIGHTINGS <= res.target_sightings <= SIGHTINGS + 5, res.target_sightings
    assert res.travellers[0].plate == COMPANION, res.travellers[:1]
    out.update(cotravel_50_p50_ms=wall, cotravel_50_cpu_p50_ms=cpu,
               cotravel_50_candidates=res.candidates,
               cotravel_target_sightings=res.target_sightings)
    for label, factor in (("10m", 10), ("100m", 100)):
        scale = factor * 1_000_000 / total
        if scale <= 1:
            continue
        dense = CoTravelRequest(TARGET, *window, tolerance_s=int(120 * scale))
        wall, cpu, n = timed(lambda d=dense: cotravel_core(store, d), max(3, runs // 3))
        out[f"cotravel_50_{label}_equiv_p50_ms"] = wall
        out[f"cotravel_50_{label}_equiv_cpu_p50_ms"] = cpu
        out[f"cotravel_50_{label}_equiv_nearby_reads"] = n
    lreq = LocateRequest(LOCATE, sb.T_END - sb.SPAN - DAY, sb.T_END)
    wall, cpu, loc = timed(lambda: svc.locate(ctx, lreq), runs)
    assert loc.total == LOCATE_READS, loc.total
    out.update(locate_2000_p50_ms=wall, locate_2000_cpu_p50_ms=cpu)
    day = sb.T_END - 30 * DAY - 3600
    check = StoreCheck(day, day + DAY)
    wall, cpu, cl = timed(lambda: svc.cloned_in_store(ctx, check), max(3, runs // 3))
    assert cl.total_pairs >= CLONES, cl.total_pairs
    out.update(cloned_day_p50_ms=wall, cloned_day_cpu_p50_ms=cpu,
               cloned_day_reads=cl.checked_reads)
    for label, factor in (("10m", 10), ("100m", 100)):
        days = round(factor * 1_000_000 / total)
        if days <= 1:
            continue
        since = day - (days - 1) * DAY
        wall, cpu, n = timed(lambda s=since: cloned_core(store, s, day + DAY), 3)
        out[f"cloned_day_{label}_equiv_p50_ms"] = wall
        out[f"cloned_day_{label}_equiv_cpu_p50_ms"] = cpu
        out[f"cloned_day_{label}_equiv_reads"] = n
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--small", action="store_true", help="50,000 reads (CI)")
    ap.add_argument("--runs", type=int, default=11)
    a = ap.parse_args(argv)
    total = 50_000 if a.small else a.reads
    runs = 3 if a.small else a.runs
    t = time.perf_counter()
    path, key = prepared(total)
    print(f"store: {total:,} reads ready in {time.perf_counter() - t:.1f} s", flush=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    res = measure(path, key, total, runs)
    width = max(map(len, res))
    for k, v in res.items():
        print(f"{k:<{width}}  {v:,.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
