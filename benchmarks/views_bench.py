"""Figures of the investigator's views (issue 13): a profile of a plate with 2,000 reads, the
map drawing 10,000 sightings (and a pan's longest frame), a description search over a 24-hour
window with two attributes, and a 200-read case-file PDF with thumbnails.

The store is search_bench's (built there, or reused from its cache) copied aside, with one
plate given 2,000 reads (200 of them with images) and the cameras given places. The
description search is also timed over a wider window holding as many reads as 24 hours hold
on a 10,000,000-read store, since its cost is the reads of the window, not the store's size.

    python benchmarks/views_bench.py --reads 1000000
    python benchmarks/views_bench.py --small        # 50,000 reads (CI)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _common import use_memory_keyring  # noqa: E402

use_memory_keyring()

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import search_bench as sb  # noqa: E402

from alpr_desktop.core.case_file import CaseFileRequest  # noqa: E402
from alpr_desktop.core.description_query import DescriptionQuery  # noqa: E402
from alpr_desktop.core.models import ImageBlob, NewRead  # noqa: E402
from alpr_desktop.core.plate_profile import ProfileRequest  # noqa: E402
from alpr_desktop.services.case_file import CaseFileService  # noqa: E402
from alpr_desktop.services.investigator_views import InvestigatorViewsService  # noqa: E402
from alpr_desktop.storage.db import Store, open_store  # noqa: E402
from alpr_desktop.storage.reads import ImageRepo, ReadRepo  # noqa: E402

PLATE = "9VWS200"
PROFILE_READS = 2000
IMAGED = 200
DAY = 86_400
TEN_M = 10_000_000


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


def _jpeg(w: int, h: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    img = (rng.random((h // 8, w // 8, 3)) * 255).astype(np.uint8)
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return buf.tobytes()


def prepared(total: int) -> tuple[Path, bytes]:
    """A private copy of search_bench's store with the profile plate, images and places."""
    built = sb.build(total, only="enc")
    where = Path(tempfile.gettempdir()) / "alpr-views-bench" / str(total)
    path = where / "views.alprdb"
    if (where / "done").exists():
        return path, built.key
    where.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(built.enc, path)
    store = open_store(path, built.key)
    try:
        cams = [int(r[0]) for r in store.query("SELECT id FROM cameras ORDER BY id")]
        with store.transaction():
            for i, cid in enumerate(cams):  # a grid of places over Carson
                store.execute("UPDATE cameras SET latitude = ?, longitude = ? WHERE id = ?",
                              (33.80 + (i // 8) * 0.018, -118.29 + (i % 8) * 0.011, cid))
        t0 = sb.T_END - sb.SPAN
        reads = [NewRead(PLATE, t0 + (k * sb.SPAN) // PROFILE_READS + (k * 7919) % 3600,
                         cams[k % len(cams)], state="CA", make="HONDA", model="CIVIC",
                         color="SILVER", body_type="SEDAN", direction="N",
                         confidence=0.9) for k in range(PROFILE_READS)]
        ids = ReadRepo(store).insert_many(reads)
        blobs = []
        for n, rid in enumerate(ids[:IMAGED]):
            for kind, (w, h) in (("crop", (240, 80)), ("overview", (1280, 720))):
                data = _jpeg(w, h, n * 2 + (kind == "overview"))
                blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest(),
                                       w, h))
        ImageRepo(store).put_many(blobs)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    (where / "done").write_text("ok")
    return path, built.key


def measure(path: Path, key: bytes, total: int, runs: int) -> dict[str, float]:
    store: Store = open_store(path, key)
    _ensure_trained(store)
    ctx = sb.signed_in(store)
    svc = InvestigatorViewsService(store)
    out: dict[str, float] = {}

    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        prof = svc.plate_profile(ctx, ProfileRequest(PLATE))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    assert len(prof.rows) == PROFILE_READS, len(prof.rows)
    out["profile_2000_p50_ms"] = p50(times)
    out["profile_2000_cpu_p50_ms"] = p50(cpu)
    times = []
    for _ in range(max(3, runs // 3)):
        t = time.perf_counter()
        svc.plate_profile(ctx, ProfileRequest(PLATE, lookalikes=True))
        times.append((time.perf_counter() - t) * 1000)
    out["profile_2000_lookalikes_p50_ms"] = p50(times)

    per_day = total / 365
    days_like_10m = min(300, max(1, round(TEN_M / 365 / per_day)))
    for label, span in (("24h", DAY), ("10m_equiv", days_like_10m * DAY)):
        times, found, cpu = [], [], []
        for k in range(runs):
            start = sb.T_END - sb.SPAN + DAY * (5 + (k * 11) % 300)
            q = DescriptionQuery(start, start + span, makes=("HONDA",), colors=("RED",))
            t, c = time.perf_counter(), time.process_time()
            res = svc.describe(ctx, q) if span <= 7 * DAY else _wide(svc, ctx, q, store)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            found.append(len(res.rows))
        out[f"describe_{label}_p50_ms"] = p50(times)
        out[f"describe_{label}_cpu_p50_ms"] = p50(cpu)
        out[f"describe_{label}_rows"] = statistics.mean(found)
    out["describe_10m_equiv_days"] = days_like_10m

    ids = [r.read.id for r in prof.rows]
    t = time.perf_counter()
    sightings = svc.sightings(ctx, ids[:PROFILE_READS])
    out["sightings_2000_ms"] = (time.perf_counter() - t) * 1000
    more = [int(r[0]) for r in store.query(
        "SELECT id FROM reads ORDER BY id DESC LIMIT ?", (10_000,))]
    t = time.perf_counter()
    ten_k = svc.sightings(ctx, more)
    out["sightings_10000_query_ms"] = (time.perf_counter() - t) * 1000
    out.update(_draw(list(ten_k.sightings), svc.camera_sites()))

    imaged = ids[:IMAGED]
    with tempfile.TemporaryDirectory() as d:
        t, c = time.perf_counter(), time.process_time()
        CaseFileService(store).export(ctx, CaseFileRequest(
            tuple(imaged), Path(d) / "case.pdf", "profile", f"All sightings of {PLATE}",
            confirmed=True))
        out["case_file_200_s"] = time.perf_counter() - t
        out["case_file_200_cpu_s"] = time.process_time() - c
        out["case_file_200_mb"] = (Path(d) / "case.pdf").stat().st_size / 1e6
    assert sightings.sightings
    store.close()
    return out


def _ensure_trained(store: Store) -> None:
    """A cached store built before the training rule (issue 17) gets its analyst trained."""
    from alpr_desktop.storage.accounts import AccountRepo
    from alpr_desktop.storage.training import TrainingRepo

    acct = AccountRepo(store).get(sb.USER)
    assert acct is not None and acct.id is not None
    training = TrainingRepo(store)
    if any(a.confirmed_ms for a in training.for_user(acct.id)):
        return
    now_ms = int(time.time() * 1000)
    with store.transaction():
        att = training.add(acct.id, now_ms, "bench", acct.id, now_ms)
        training.confirm(att.id, acct.id, now_ms)


def _wide(svc: InvestigatorViewsService, ctx: object, q: DescriptionQuery, store: Store):
    """A window wider than the setting, for the projection only: the same repository call
    the service makes, without the width check."""
    assert q.since is not None and q.until is not None
    from alpr_desktop.core.description_query import DescriptionResult

    reads = store.investigator_views.description_reads(q, q.since, q.until, q.limit + 1)
    return DescriptionResult(tuple(reads[:q.limit]), len(reads) > q.limit, 0, 0)


def _draw(sightings: list, cameras: list) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from alpr_desktop.core.basemap import parse_street_lines
    from alpr_desktop.demo.streets import street_layer_bytes
    from alpr_desktop.gui.map.map_view import MapView

    app = QApplication.instance() or QApplication([])
    view = MapView()
    view.resize(900, 620)
    view.show()
    view.set_basemap(parse_street_lines(street_layer_bytes(), "demo"))
    view.set_cameras(cameras)
    app.processEvents()
    draws, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        view.set_sightings(sightings)
        view.fit_all()
        app.processEvents()
        view.grab()  # paint the whole viewport
        draws.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    # A frame is what the event loop does for one step: a pan scrolls the pixels already
    # drawn and paints the uncovered strip; a zoom regroups and repaints. The "full repaint"
    # figures add a grab() of the whole viewport after each step (the first measure, kept
    # for comparison; the event loop never does that on a pan).
    def frames(step, n: int, full: bool) -> list[float]:
        out = []
        for k in range(n):
            t = time.perf_counter()
            step(k)
            app.processEvents()
            app.processEvents()
            if full:
                view.viewport().grab()
            out.append((time.perf_counter() - t) * 1000)
        return out

    def pan(k: int) -> None:  # a drag: 40 steps of 12 px, there and back
        bar = view.horizontalScrollBar()
        bar.setValue(bar.value() + (12 if k < 20 else -12))

    def zoom(k: int) -> None:
        view.zoom_by((1.25, 1.25, 0.8, 0.8)[k])

    pans, pans_full = frames(pan, 40, False), frames(pan, 40, True)
    zooms, zooms_full = frames(zoom, 4, False), frames(zoom, 4, True)
    return {"map_draw_10000_p50_ms": p50(draws), "map_draw_10000_cpu_p50_ms": p50(cpu),
            "map_clusters": float(view.cluster_count),
            "map_pan_frame_max_ms": max(pans), "map_pan_frame_p50_ms": p50(pans),
            "map_zoom_frame_max_ms": max(zooms),
            "map_pan_full_repaint_max_ms": max(pans_full),
            "map_zoom_full_repaint_max_ms": max(zooms_full),
            "map_sightings": float(len(sightings))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--small", action="store_true", help="50,000 reads (CI)")
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args(argv)
    total = 50_000 if a.small else a.reads
    runs = 5 if a.small else a.runs
    t = time.perf_counter()
    path, key = prepared(total)
    print(f"store: {total:,} reads + {PROFILE_READS:,} of {PLATE} ready in "
          f"{time.perf_counter() - t:.1f} s", flush=True)
    res = measure(path, key, total, runs)
    width = max(map(len, res))
    for k, v in res.items():
        print(f"{k:<{width}}  {v:,.2f}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
