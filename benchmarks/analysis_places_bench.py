"""Figures of the location search and common plates (issue 19): a stakeout of three places x
two 2-hour windows, and common plates over three sets of one day each, through the gated
service (log entry included), wall and CPU medians.

The store is views_bench's (search_bench's reads with the cameras given places), copied aside.
Both analyses read a range of reads_time per window and test camera and place on the rows of
that range, so their cost follows the store's reads per hour, not its size: the "10M-density"
rows run the same analyses with windows ten times as long (20-hour windows, ten-day sets), i.e.
as many reads per window as a 10,000,000-read store holds in the real ones.

    python benchmarks/analysis_places_bench.py --reads 1000000
    python benchmarks/analysis_places_bench.py --small        # 50,000 reads (CI)
"""

from __future__ import annotations

import argparse
import os
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
import views_bench as vb  # noqa: E402  (its trained-analyst helper)

from alpr_desktop.core.analysis_places import (  # noqa: E402
    CommonPlatesQuery,
    LocationQuery,
    Place,
    Window,
)
from alpr_desktop.services.location_analysis import LocationAnalysisService  # noqa: E402
from alpr_desktop.storage.db import open_store  # noqa: E402

HOUR, DAY = 3600, 86_400


def prepared(total: int, build: bool) -> tuple[Path, bytes]:
    """A private copy (this bench writes log entries) of views_bench's store when there is
    one, else of search_bench's store with the cameras given views_bench's grid of places.
    Builds search_bench's store only with ``build`` (10M takes about 50 minutes here)."""
    where = Path(tempfile.gettempdir()) / "alpr-places-bench" / str(total)
    path = where / "places.alprdb"
    cache = sb.CACHE / sb.DATA_VERSION / sb.format_dir() / str(total)
    if not (cache / "done-enc").exists() and not build:
        raise SystemExit(f"search_bench's {total:,}-read store is not built; run with --build")
    key = sb.build(total, only="enc").key
    if (where / "done").exists():
        return path, key
    where.mkdir(parents=True, exist_ok=True)
    views = Path(tempfile.gettempdir()) / "alpr-views-bench" / str(total)
    placed = (views / "done").exists()
    shutil.copyfile(views / "views.alprdb" if placed else cache / "enc.alprdb", path)
    if not placed:
        store = open_store(path, key)
        try:
            cams = [int(r[0]) for r in store.query("SELECT id FROM cameras ORDER BY id")]
            with store.transaction():
                for i, cid in enumerate(cams):  # views_bench's grid of places over Carson
                    store.execute("UPDATE cameras SET latitude = ?, longitude = ? WHERE id = ?",
                                  (33.80 + (i // 8) * 0.018, -118.29 + (i % 8) * 0.011, cid))
        finally:
            store.close()
    (where / "done").write_text("ok")
    return path, key


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    wall, cpu, last = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        last = fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu), last


def measure(path: Path, key: bytes, runs: int) -> dict[str, float]:
    store = open_store(path, key)
    vb._ensure_trained(store)
    ctx = sb.signed_in(store)
    svc = LocationAnalysisService(store)
    cams = [int(r[0]) for r in store.query("SELECT id FROM cameras ORDER BY id")]
    start = sb.T_END - sb.SPAN
    out: dict[str, float] = {}
    # the bench store's reads are a year old, older than the purpose's own dates: the reason
    # is given (and the rule checked) on every run, as an analyst would have to
    reason = "Benchmark of the analyses over last year's reads"
    k = [0]
    for label, scale in (("", 1), ("_10m_density", 10)):

        def stakeout(scale: int = scale, k: list[int] = k) -> Any:
            k[0] += 1
            day = start + DAY * (20 + (k[0] * 37) % 300)
            w = 2 * HOUR * scale
            wins = (Window(day + 9 * HOUR, day + 9 * HOUR + w),
                    Window(day + DAY + 18 * HOUR, day + DAY + 18 * HOUR + w))
            c0 = cams[(k[0] * 3) % len(cams)]
            site = store.query("SELECT latitude, longitude FROM cameras WHERE id = ?",
                               (cams[(k[0] * 5 + 1) % len(cams)],))[0]
            places = (Place("A", wins, camera_ids=(c0,)),
                      Place("B", wins, camera_ids=(cams[(k[0] * 3 + 2) % len(cams)],)),
                      Place("C", wins, latitude=float(site[0]), longitude=float(site[1]),
                            radius_m=400))
            return svc.location_search(ctx, LocationQuery(places, reason=reason))

        wall, cpu, res = _timed(stakeout, runs)
        out[f"location_3x2_p50_ms{label}"] = wall
        out[f"location_3x2_cpu_p50_ms{label}"] = cpu
        out[f"location_3x2_reads{label}"] = float(res.reads_found)

        def common(scale: int = scale, k: list[int] = k) -> Any:
            k[0] += 1
            day = start + DAY * (20 + (k[0] * 37) % 300)
            sets = []
            for i in range(3):
                s = day + i * 2 * DAY
                # a ten-day set is two windows of five (one window is at most seven days)
                wins = (Window(s, s + DAY - 1),) if scale == 1 else (
                    Window(s, s + 5 * DAY - 1), Window(s + 5 * DAY, s + 10 * DAY - 1))
                sets.append(Place(f"Scene {i + 1}", wins,
                                  camera_ids=(cams[(k[0] + i * 7) % len(cams)],
                                              cams[(k[0] + i * 7 + 1) % len(cams)])))
            return svc.common_plates(ctx, CommonPlatesQuery(tuple(sets), 2, reason=reason))

        wall, cpu, res = _timed(common, max(5, runs // 2))
        out[f"common_3x1day_p50_ms{label}"] = wall
        out[f"common_3x1day_cpu_p50_ms{label}"] = cpu
        out[f"common_3x1day_plates{label}"] = float(res.qualified)
    store.close()
    return out


def index_probe(path: Path, key: bytes, runs: int) -> dict[str, float]:
    """What a (camera_id, recorded_at) index would change (0001 left it out): the reads of one
    camera over 20 hours, the range of reads_time filtered by camera (what the product does)
    against a range of the camera's own index, built on this private copy only."""
    store = open_store(path, key)
    store.execute("CREATE INDEX IF NOT EXISTS bench_reads_camera_time "
                  "ON reads(camera_id, recorded_at)")
    cams = [int(r[0]) for r in store.query("SELECT id FROM cameras ORDER BY id")]
    start = sb.T_END - sb.SPAN
    out: dict[str, float] = {}
    for label, hint in (("time_range", "reads_time"), ("camera_index",
                                                        "bench_reads_camera_time")):
        wall = []
        for k in range(runs):
            day = start + DAY * (20 + (k * 37) % 300)
            t = time.perf_counter()
            store.query(f"SELECT r.id, r.plate_id FROM reads r INDEXED BY {hint} "
                        "WHERE r.camera_id = ? AND r.recorded_at BETWEEN ? AND ?",
                        (cams[k % len(cams)], day, day + 20 * HOUR))
            wall.append((time.perf_counter() - t) * 1000)
        out[f"one_camera_20h_{label}_p50_ms"] = statistics.median(wall)
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--small", action="store_true", help="50,000 reads (CI)")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--build", action="store_true",
                    help="build search_bench's store when it is missing")
    ap.add_argument("--index-probe", action="store_true",
                    help="also time a (camera_id, recorded_at) index on the private copy")
    a = ap.parse_args(argv)
    total = 50_000 if a.small else a.reads
    runs = 5 if a.small else a.runs
    t = time.perf_counter()
    path, key = prepared(total, a.build or a.small)
    print(f"store: {total:,} reads ready in {time.perf_counter() - t:.1f} s", flush=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    res = measure(path, key, runs)
    if a.index_probe:
        res.update(index_probe(path, key, runs))
    width = max(map(len, res))
    for name, v in res.items():
        print(f"{name:<{width}}  {v:,.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
