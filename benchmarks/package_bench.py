"""Evidence package figures (issue 15): building the package of 50 reads with 1920x1080
scenes (target <= 10 s) and verify-package of a package of about 500 files (target <= 5 s).

    .venv/bin/python benchmarks/package_bench.py            # full size
    .venv/bin/python benchmarks/package_bench.py --small    # CI size
    .venv/bin/python benchmarks/package_bench.py --keep DIR # keep the 50-read package

The store, accounts, agency and request are set up first (not timed); the build is timed from
the analyst's call to the folder in place (reads and images fetched, PDF drawn and PAdES-signed,
files written, manifest signed, log entries committed). verify-package is timed as the command
runs it: every file hashed, the manifest's Ed25519 signature and the PDF's signature checked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cv2
import numpy as np
from _common import use_memory_keyring

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.agencies import AgencyInput
from alpr_desktop.core.agencies_requests import RequestInput
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.core.roles import Role
from alpr_desktop.demo.render import RenderJob, encode_jpeg, render_read
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.evidence_package import EvidencePackageService
from alpr_desktop.services.evidence_package_verify import verify_package
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.sharing import SharingService
from alpr_desktop.storage import create_store
from alpr_desktop.storage.training import TrainingRepo

T0 = 1_766_000_000
PASSWORDS = {"keeper": "Civic-Center-Ledger-5M", "officer": "Avalon-Night-Patrol-3K"}
NARRATIVE = ("Long Beach PD case of a grey Toyota Camry stolen from Pine Ave on 12/16/2025 at "
             "22:40; they ask for reads of plate 7ABC123 from 12/10/2025 to 12/20/2025 to "
             "trace its route.")


def _store(folder: Path, reads: int):  # type: ignore[no-untyped-def]
    """A store with a custodian, an analyst, ``reads`` reads of 7ABC123 with a 1920x1080
    overview each, an approved agency and one approved request for all the reads."""
    passwords.ITERATIONS = 1_000  # set-up only: sign-in is not what is measured
    clock = FixedClock()
    store = create_store(folder / "bench.alprdb", os.urandom(32))
    with store.transaction():
        for name, full, org, roles, badge in (
            ("keeper", "Kim Keeper", "City of Carson", {Role.CUSTODIAN}, ""),
            ("officer", "Olivia Officer", "LASD Carson Station", {Role.ANALYST}, "4471"),
        ):
            added = store.accounts.add(Account(None, name, full, org, badge_number=badge,
                                               sworn=bool(badge), roles=frozenset(roles)),
                                       passwords.hash_password(PASSWORDS[name]),
                                       clock.now_ms())
        training = TrainingRepo(store)  # a trained analyst (issue 17), confirmed for the bench
        att = training.add(added.id or 0, clock.now_ms(), "bench", added.id or 0,
                           clock.now_ms())
        training.confirm(att.id, added.id or 0, clock.now_ms())
        cam = store.cameras.add(Camera(None, "Avalon & 223rd NB", "Carson"))
        ids = store.reads.insert_many([NewRead("7ABC123", T0 + i * 60, cam, state="CA",
                                               make="Toyota", confidence=0.93)
                                       for i in range(reads)])
        blobs = []
        for i, rid in enumerate(ids):
            r = render_read(RenderJob(7, i, "7ABC123", "CA", False, i % 4, "grey", "sedan",
                                      False, "AVALON & 223RD NB"))
            scene = cv2.imdecode(np.frombuffer(r.overview.data, np.uint8), cv2.IMREAD_COLOR)
            big = encode_jpeg(cv2.resize(scene, (1920, 1080),
                                         interpolation=cv2.INTER_CUBIC), 85)
            blobs += [ImageBlob(rid, "crop", "jpeg", r.crop.data, r.crop.sha256,
                                r.crop.width, r.crop.height),
                      ImageBlob(rid, "overview", "jpeg", big.data, big.sha256, 1920, 1080)]
        store.images.put_many(blobs)
    auth = AuthService(store, clock)
    sharing = SharingService(store, clock)
    keeper = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
    agency = sharing.add_agency(keeper, AgencyInput(
        "Long Beach Police Department", "law_enforcement", "california_local", "Records"))
    sharing.approve_agency(keeper, agency.id)
    request = sharing.record_request(keeper, RequestInput(
        agency.id, "Dana Reyes", "LB-3321", "dreyes@longbeach.example", "LBPD-2025-004512",
        "Vehicle theft", NARRATIVE, "Reads of 7ABC123 from 12/10/2025 to 12/20/2025",
        clock.now_ms()))

    def analyst():  # type: ignore[no-untyped-def]
        ctx = auth.context(auth.sign_in("officer", PASSWORDS["officer"]))
        PurposeService(store, clock).declare(ctx, request.purpose_input())
        return auth.context(ctx.session)

    sharing.prepare_response(analyst(), request.id, ids)
    keeper = auth.context(auth.sign_in("keeper", PASSWORDS["keeper"]))
    sharing.approve(keeper, request.id, "benchmark")
    return store, clock, request.id, analyst()


def build(folder: Path, reads: int, out: Path, as_zip: bool = False) -> tuple[float, int]:
    store, clock, request_id, ctx = _store(folder, reads)
    try:
        t = time.perf_counter()
        result = EvidencePackageService(store, clock).build(ctx, request_id, out,
                                                            as_zip=as_zip)
        return time.perf_counter() - t, result.file_count
    finally:
        store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="CI size: 5 and 20 reads")
    ap.add_argument("--keep", type=Path, help="copy the first package here")
    ap.add_argument("--verify-runs", type=int, default=5)
    ap.add_argument("--zip", action="store_true", help="the ZIP form of every package")
    args = ap.parse_args()
    form = ".zip" if args.zip else ""
    use_memory_keyring()
    small_reads, big_reads = (5, 20) if args.small else (50, 166)
    print(f"machine: {os.uname().nodename} {os.uname().machine}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a").mkdir()
        secs, files = build(root / "a", small_reads, root / f"pkg50{form}", args.zip)
        print(f"package of {small_reads} reads (1920x1080 scenes): {secs:.2f} s, {files} files"
              f" (target 10 s for 50 reads)")
        if args.keep and not args.zip:
            shutil.copytree(root / "pkg50", args.keep, dirs_exist_ok=False)
        (root / "b").mkdir()
        big = root / f"pkg500{form}"
        secs_big, files_big = build(root / "b", big_reads, big, args.zip)
        print(f"package of {big_reads} reads: {secs_big:.2f} s, {files_big} files")
        times = []
        for _ in range(max(1, args.verify_runs)):
            t = time.perf_counter()
            check = verify_package(big)
            times.append(time.perf_counter() - t)
            if not check.intact:
                print("verify-package found the package NOT intact:", check.problems[:3])
                return 1
        size = big.stat().st_size if args.zip else sum(
            p.stat().st_size for p in big.rglob("*") if p.is_file())
        print(f"verify-package of {files_big} files ({size / 1e6:.0f} MB): median "
              f"{statistics.median(times):.2f} s, best {min(times):.2f} s over {len(times)} "
              "runs (target 5 s for 500 files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
