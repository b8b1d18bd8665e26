"""Image viewer figures: opening a read, CLAHE plus sharpening, and a slider drag.

    .venv/bin/python benchmarks/viewer_bench.py [--reads 24] [--small]

1. Open: from the request (previous/next in the viewer) to the first paint of the overview:
   a worker opens its own SQLCipher connection, the gate checks and logs "image.view", the
   encrypted images are read, hashed and decoded (1920×1080 JPEG scene and its plate crop),
   and the GUI thread builds the pixmaps and paints. Target: p50 ≤ 60 ms.
2. CLAHE + sharpen on a 1920×1080 scene (imaging.enhance.apply). Target: median ≤ 40 ms.
3. Slider drag: the brightness slider moves every 16 ms for a while, with CLAHE and sharpening
   on, while a 10 ms timer measures the longest gap in the event loop. Target: ≤ 100 ms.

Runs offscreen. Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import SystemClock
from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.demo.render import RenderJob, encode_jpeg, render_read
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.image_viewer import ControllerImageSource, ImageViewer
from alpr_desktop.imaging import enhance
from alpr_desktop.security import passwords
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import create_store, open_store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo
from alpr_desktop.storage.training import TrainingRepo

PASSWORD = "Avalon-Night-Patrol-3K"  # noqa: S105 - a throwaway benchmark store
NARRATIVE = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)


def build_store(path: Path, key: bytes, n: int) -> list[int]:
    """n reads, each with a 1920×1080 JPEG scene (the demo scene, doubled) and its crop."""
    passwords.ITERATIONS = 1_000
    store = create_store(path, key)
    now_ms = SystemClock().now_ms()
    added = AccountRepo(store).add(
        Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
                sworn=True, roles=frozenset({Role.ANALYST})),
        passwords.hash_password(PASSWORD), now_ms)
    training = TrainingRepo(store)  # a trained analyst (issue 17), confirmed for the bench
    att = training.add(added.id or 0, now_ms, "bench", added.id or 0, now_ms)
    training.confirm(att.id, added.id or 0, now_ms)
    cam = CameraRepo(store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    now = int(time.time()) - 86_400
    ids = ReadRepo(store).insert_many(
        [NewRead("7ABC123", now - i * 600, cam, state="CA", confidence=0.93) for i in range(n)])
    blobs = []
    for i, rid in enumerate(ids):
        r = render_read(RenderJob(3, i, "7ABC123", "CA", False, i % 4, "Silver", "Sedan",
                                  i % 5 == 4, f"Avalon & 223rd NB bench {i}"))
        scene = cv2.imdecode(np.frombuffer(r.overview.data, np.uint8), cv2.IMREAD_COLOR)
        big = encode_jpeg(cv2.resize(scene, (1920, 1080), interpolation=cv2.INTER_CUBIC), 85)
        x, y, w, h = r.bbox
        blobs += [
            ImageBlob(rid, "crop", "jpeg", r.crop.data, r.crop.sha256, 296, 148),
            ImageBlob(rid, "overview", "jpeg", big.data, big.sha256, 1920, 1080,
                      BBox(2 * x, 2 * y, 2 * w, 2 * h)),
        ]
    ImageRepo(store).put_many(blobs)
    store.close()
    return ids


class PaintClock(QObject):
    """Time of the latest paint of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.last = time.perf_counter()
        return False


def wait(loop: QEventLoop, cond, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the viewer did not answer in time")
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def signed_in(loop: QEventLoop, path: Path, key: bytes) -> SessionController:
    raise_if: list[BaseException] = []
    store = open_store(path, key)
    c = SessionController(OpenStore.adopt(store), SystemClock())
    done: list[object] = []
    c.sign_in("officer", PASSWORD, done.append, raise_if.append)
    wait(loop, lambda: bool(done or raise_if))
    entry = PurposeInput(category="criminal_investigation", offense="Vehicle theft",
                         case_number="123-45678-2026-001", narrative=NARRATIVE,
                         acknowledged=True)
    c.declare_purpose(entry, None, done.append, raise_if.append)
    wait(loop, lambda: len(done) == 2 or bool(raise_if))
    if raise_if:
        raise raise_if[0]
    return c


def bench_open(loop: QEventLoop, viewer: ImageViewer, n: int) -> list[float]:
    pane = viewer.panels[0].panes["overview"]
    clock = PaintClock()
    pane.viewport().installEventFilter(clock)
    shown_at = [0.0]
    viewer.read_opened.connect(lambda _rid: shown_at.__setitem__(0, time.perf_counter()))
    times = []
    for i in [*range(1, n), 0]:
        t0 = time.perf_counter()
        shown_at[0] = 0.0
        viewer.open_index(i)
        # the paint that counts is the first one after the pixmaps were set
        wait(loop, lambda: shown_at[0] > 0 and clock.last > shown_at[0])
        times.append((clock.last - t0) * 1000)
    return times


def bench_enhance(runs: int) -> tuple[list[float], list[float]]:
    """Wall time, and the CPU time of this process (all threads), per run."""
    rng = np.random.default_rng(1)
    img = rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    settings = enhance.EnhanceSettings(clahe=True, sharpen=1.0)
    enhance.apply(img, settings)
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        enhance.apply(img, settings)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def bench_drag(loop: QEventLoop, viewer: ImageViewer, seconds: float) -> tuple[float, int]:
    viewer.claheCheck.setChecked(True)
    viewer.sharpenSlider.setValue(100)
    wait(loop, lambda: not viewer.enhancing)
    gaps = [0.0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    moves = [0]

    def move() -> None:
        moves[0] += 1
        viewer.brightnessSlider.setValue(-80 + (moves[0] * 3) % 160)

    drag = QTimer()
    drag.setInterval(16)
    drag.timeout.connect(move)
    last[0] = time.perf_counter()
    probe.start()
    drag.start()
    end = time.perf_counter() + seconds
    wait(loop, lambda: time.perf_counter() > end, seconds + 5)
    drag.stop()
    wait(loop, lambda: not viewer.enhancing)
    probe.stop()
    return max(gaps), moves[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=24)
    ap.add_argument("--small", action="store_true", help="a quick run for CI")
    args = ap.parse_args()
    n = 6 if args.small else max(21, args.reads)
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - keeps Qt alive
    loop = QEventLoop()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.alprdb"
        t0 = time.perf_counter()
        key = os.urandom(32)
        ids = build_store(path, key, n)
        print(f"store: {n} reads with 1920x1080 scenes built in {time.perf_counter() - t0:.1f} s")
        controller = signed_in(loop, path, key)
        viewer = ImageViewer(ControllerImageSource(controller), ids[0], ids)
        viewer.resize(1380, 860)
        viewer.show()
        wait(loop, lambda: viewer.panels[0].opened is not None)
        opens = bench_open(loop, viewer, n)
        p50 = statistics.median(opens)
        print(f"open read (worker connection, gate + log, decrypt, hash, decode, first paint): "
              f"p50 {p50:.1f} ms, p90 {np.percentile(opens, 90):.1f} ms, "
              f"max {max(opens):.1f} ms over {len(opens)} reads  [target p50 <= 60 ms]")
        enh, cpu = bench_enhance(10 if args.small else 30)
        print(f"CLAHE + sharpen 1920x1080: median {statistics.median(enh):.1f} ms, "
              f"min {min(enh):.1f} ms (CPU time median {statistics.median(cpu):.1f} ms)  "
              f"[target <= 40 ms]")
        stall, moves = bench_drag(loop, viewer, 1.0 if args.small else 4.0)
        print(f"slider drag ({moves} moves, CLAHE + sharpen on): longest event-loop gap "
              f"{stall:.1f} ms  [target <= 100 ms]")
        viewer.close()
        controller.shutdown()
        wait(loop, lambda: not controller.busy)
        ok = p50 <= 60 and statistics.median(enh) <= 40 and stall <= 100
    print("within targets" if ok else "OUTSIDE TARGETS")
    # A small run proves the script works; its timings on a busy CI machine decide nothing
    # (figures come from full runs, recorded in docs/benchmarks.md).
    return 0 if ok or args.small else 1


if __name__ == "__main__":
    raise SystemExit(main())
