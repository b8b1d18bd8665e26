"""Offline review extract figures (issue 15): releasing an extract of 500 reads, and opening it.

    .venv/bin/python benchmarks/extract_bench.py [--reads 500] [--opens 7] [--small]

1. Release: ExtractReleaseService.release_extract for every read of a store whose reads each
   carry a 1920×1080 JPEG scene and a plate crop: the gate and purpose check, the rows read from
   the City's store, a new SQLCipher extract created with the store's migrations, the rows and
   images written, the key wrapped under a fresh passphrase (scrypt), the release recorded and
   logged. Target: ≤ 10 s for 500 reads.
2. Open: ReviewSession.open with the passphrase: the key file read, scrypt, the extract opened
   (SQLCipher key check, migrations checked), its description read and the expiry checked.
   Target: ≤ 1 s. Also timed: the reviewer's sign-in, the list and one view (each logged).

Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.agencies import AgencyKind, Jurisdiction
from alpr_desktop.core.clock import SystemClock
from alpr_desktop.core.extract import ExtractOrder
from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.demo.render import RenderJob, encode_jpeg, render_read
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.review_extract import ExtractReleaseService
from alpr_desktop.services.review_extract_mode import ReviewSession
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo
from alpr_desktop.storage.training import TrainingRepo

PASSWORD = "Avalon-Night-Patrol-3K"  # noqa: S105 - a throwaway benchmark store
NARRATIVE = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)
DISTINCT_IMAGES = 12  # rendered once and stored for every read (sizes are what count)


def build_store(path: Path, n: int) -> tuple[Store, list[int]]:
    passwords.ITERATIONS = 1_000
    store = create_store(path, os.urandom(32))
    now_ms = SystemClock().now_ms()
    added = AccountRepo(store).add(
        Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
                sworn=True, roles=frozenset({Role.ANALYST})),
        passwords.hash_password(PASSWORD), now_ms)
    training = TrainingRepo(store)
    att = training.add(added.id or 0, now_ms, "bench", added.id or 0, now_ms)
    training.confirm(att.id, added.id or 0, now_ms)
    cam = CameraRepo(store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
    now = int(time.time()) - 86_400
    ids = ReadRepo(store).insert_many(
        [NewRead("7ABC123", now - i * 600, cam, state="CA", confidence=0.93) for i in range(n)])
    rendered = []
    for i in range(min(n, DISTINCT_IMAGES)):
        r = render_read(RenderJob(3, i, "7ABC123", "CA", False, i % 4, "Silver", "Sedan",
                                  i % 5 == 4, f"Avalon & 223rd NB bench {i}"))
        scene = cv2.imdecode(np.frombuffer(r.overview.data, np.uint8), cv2.IMREAD_COLOR)
        big = encode_jpeg(cv2.resize(scene, (1920, 1080), interpolation=cv2.INTER_CUBIC), 85)
        rendered.append((r, big))
    blobs = []
    for i, rid in enumerate(ids):
        r, big = rendered[i % len(rendered)]
        x, y, w, h = r.bbox
        blobs += [
            ImageBlob(rid, "crop", "jpeg", r.crop.data, r.crop.sha256, 296, 148),
            ImageBlob(rid, "overview", "jpeg", big.data, big.sha256, 1920, 1080,
                      BBox(2 * x, 2 * y, 2 * w, 2 * h)),
        ]
    ImageRepo(store).put_many(blobs)
    return store, ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=500)
    ap.add_argument("--opens", type=int, default=7)
    ap.add_argument("--small", action="store_true", help="a quick run for CI (40 reads)")
    args = ap.parse_args()
    n = 40 if args.small else args.reads
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, ids = build_store(Path(tmp) / "city.alprdb", n)
        print(f"store: {n:,} reads with 1920x1080 scenes, built in "
              f"{time.perf_counter() - t0:.1f} s")
        with store.transaction():  # since issue 15's registry check: an approved recipient
            da = store.agencies.add("Los Angeles County District Attorney",
                                    AgencyKind.PROSECUTORIAL, Jurisdiction.CALIFORNIA_LOCAL,
                                    "Hall of Justice", "", "keeper", clock.now_ms())
            store.agencies.approve(da.id or 0, "keeper", clock.now_ms())
        auth = AuthService(store, clock)
        ctx = auth.context(auth.sign_in("officer", PASSWORD))
        entry = PurposeInput("criminal_investigation", "Vehicle theft", "123-45678-2026-001",
                             NARRATIVE, True)
        PurposeService(store, clock).declare(ctx, entry)
        ctx = auth.context(ctx.session)
        order = ExtractOrder(tuple(ids), "Dana Prosecutor",
                             "Los Angeles County District Attorney", "Hearing review",
                             "123-45678-2026-001", date.today() + timedelta(days=30),
                             "DA request 2026-7")
        t0 = time.perf_counter()
        release = ExtractReleaseService(store, clock).release_extract(
            ctx, order, Path(tmp) / "out" / "case")
        t_release = time.perf_counter() - t0
        size = release.extract_path.stat().st_size
        print(f"release of {n:,} reads: {t_release:.2f} s (target <= 10 s for 500); extract "
              f"{size / 2**20:.1f} MiB")
        opens = []
        for _ in range(max(1, args.opens)):
            t0 = time.perf_counter()
            s = ReviewSession.open(release.extract_path, release.passphrase, clock)
            opens.append(time.perf_counter() - t0)
            s.close()
        print(f"open: median {statistics.median(opens) * 1000:.0f} ms, worst "
              f"{max(opens) * 1000:.0f} ms over {len(opens)} opens (target <= 1 s)")
        s = ReviewSession.open(release.extract_path, release.passphrase, clock)
        try:
            t0 = time.perf_counter()
            who = s.sign_in("Dana Prosecutor", "Los Angeles County District Attorney", entry)
            t_sign = time.perf_counter() - t0
            t0 = time.perf_counter()
            listed = s.reads(who)
            t_list = time.perf_counter() - t0
            t0 = time.perf_counter()
            s.open_read(who, listed[len(listed) // 2].id)
            t_view = time.perf_counter() - t0
        finally:
            s.close()
        print(f"sign-in {t_sign * 1000:.0f} ms, list of {len(listed):,} reads "
              f"{t_list * 1000:.0f} ms, one view {t_view * 1000:.0f} ms (each logged)")
        try:
            print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        except OSError:
            pass
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
