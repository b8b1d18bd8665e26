"""Insert rate of reads (metadata only) through the real storage code, encrypted vs plain.

Builds an encrypted store (SQLCipher) and a plain-sqlite3 store with the same schema, pragmas
and repository code, feeding both the same batches alternately, so that machine noise hits
both alike. Prints reads/s for each and their ratio.

    .venv/bin/python benchmarks/insert_bench.py                # 1,000,000 reads
    .venv/bin/python benchmarks/insert_bench.py --small        # CI size

Targets (Foundation issue): encrypted >= 100,000 reads/s, and >= 0.8 of plain.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.db import (
    Store,
    _create_plain_store_for_benchmark,
    create_store,
    open_store,
)
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

_PLATE_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_MAKES = ("TOYOTA", "HONDA", "FORD", "CHEVROLET", "NISSAN", "TESLA", "BMW", "KIA")
_COLORS = ("WHITE", "BLACK", "SILVER", "GRAY", "RED", "BLUE")
_BODIES = ("SEDAN", "SUV", "PICKUP", "VAN", "COUPE")
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def batches(args: argparse.Namespace, camera_ids: list[int]) -> Iterator[list[NewRead]]:
    """Deterministic batches: the same seed gives both stores the same reads (``--seed``:
    another seed for another run into the same stores, so its plates are new to them)."""
    rng = random.Random(getattr(args, "seed", 20261127))
    plates = ["".join(rng.choices(_PLATE_CHARS, k=7)) for _ in range(args.distinct)]
    done = 0
    while done < args.reads:
        n = min(args.batch, args.reads - done)
        yield [
            NewRead(
                plate=rng.choice(plates),
                recorded_at=T0 + (done + j) * 3,
                camera_id=rng.choice(camera_ids),
                state="CA",
                direction=rng.choice(("N", "S", "E", "W")),
                make=rng.choice(_MAKES),
                color=rng.choice(_COLORS),
                body_type=rng.choice(_BODIES),
                confidence=round(rng.uniform(0.6, 1.0), 3),
                source="bench" if args.vendor_ids else "",
                vendor_read_id=f"R{done + j:09d}" if args.vendor_ids else None,
            )
            for j in range(n)
        ]
        done += n


def setup(store: Store, cameras: int) -> list[int]:
    repo = CameraRepo(store)
    return [repo.add(Camera(None, f"CAM-{i:02d}", f"Location {i}")) for i in range(cameras)]


def one_run(args: argparse.Namespace, workdir: Path, run: int) -> dict[str, float]:
    enc = create_store(workdir / f"enc{run}.alprdb", secrets.token_bytes(32))
    stores = {"encrypted": enc}
    if not args.no_plain:
        stores["plain"] = _create_plain_store_for_benchmark(workdir / f"plain{run}.sqlite")
    cams = {name: setup(s, args.cameras) for name, s in stores.items()}
    assert len({tuple(c) for c in cams.values()}) == 1
    repos = {name: ReadRepo(s) for name, s in stores.items()}
    elapsed = dict.fromkeys(stores, 0.0)
    cpu = dict.fromkeys(stores, 0.0)
    per_batch: dict[str, list[float]] = {name: [] for name in stores}
    done, window = 0, {name: [0.0, 0.0] for name in stores}  # wall, CPU since the last report
    for i, batch in enumerate(batches(args, cams["encrypted"])):
        order = list(stores) if i % 2 == 0 else list(reversed(stores))
        for name in order:
            t, c = time.perf_counter(), time.process_time()
            repos[name].insert_many(batch)
            dt, dc = time.perf_counter() - t, time.process_time() - c
            cpu[name] += dc
            elapsed[name] += dt
            window[name][0] += dt
            window[name][1] += dc
            per_batch[name].append(len(batch) / dt)
        done += len(batch)
        if args.report_every and done % args.report_every == 0:  # the marginal rate
            print(f"  at {done:,}: " + ", ".join(
                f"{name} {args.report_every / w:,.0f} reads/s (CPU {args.report_every / c:,.0f})"
                for name, (w, c) in window.items()) + f" (load {os.getloadavg()[0]:.1f})",
                flush=True)
            window = {name: [0.0, 0.0] for name in stores}
    result = {}
    for name, s in stores.items():
        assert repos[name].count() == args.reads
        result[name] = args.reads / elapsed[name]
        result[f"{name}_cpu"] = args.reads / cpu[name]
        result[f"{name}_median_batch"] = statistics.median(per_batch[name])
        s.close()
        result[f"{name}_mb"] = s.path.stat().st_size / 1e6
    return result


def into_existing(args: argparse.Namespace) -> None:
    """The marginal insert rate into existing stores (search_bench cache directories: enc.alprdb
    and enc.key), e.g. a 1M and a 10M store: the same batches go to each in turn, so the
    machine's noise falls on all alike, and the rate of each store is printed per window."""
    stores = {str(d): open_store(d / "enc.alprdb", bytes.fromhex((d / "enc.key").read_text()))
              for d in args.into}
    for (name, s), mib in zip(stores.items(), args.cache_mib or [], strict=False):
        if mib:  # this store's page cache for the run (the program's default: 64 MiB)
            s.execute(f"PRAGMA cache_size = -{int(mib) * 1024}")
            print(f"{Path(name).name}: page cache {mib} MiB", flush=True)
    try:
        before = {n: ReadRepo(s).count() for n, s in stores.items()}
        cams = {n: [int(r[0]) for r in s.query("SELECT id FROM cameras ORDER BY id")]
                for n, s in stores.items()}
        repos = {n: ReadRepo(s) for n, s in stores.items()}
        window = {n: [0.0, 0.0] for n in stores}
        total = {n: [0.0, 0.0] for n in stores}
        done = 0
        args.vendor_ids = False  # the stores' own reads may carry the generator's ids
        slots = list(range(min(len(c) for c in cams.values())))  # camera i of each store
        for i, batch in enumerate(batches(args, slots)):
            names = list(stores) if i % 2 == 0 else list(reversed(stores))
            for n in names:
                mine = [replace(r, camera_id=cams[n][r.camera_id % len(cams[n])])
                        for r in batch]
                t, c = time.perf_counter(), time.process_time()
                repos[n].insert_many(mine)
                dt, dc = time.perf_counter() - t, time.process_time() - c
                for acc in (window[n], total[n]):
                    acc[0] += dt
                    acc[1] += dc
            done += len(batch)
            if args.report_every and done % args.report_every == 0:
                print(f"  +{done:,}: " + "; ".join(
                    f"{Path(n).name} ({before[n]:,} before) {args.report_every / w:,.0f} "
                    f"reads/s, CPU {args.report_every / c:,.0f}" for n, (w, c) in window.items())
                    + f" (load {os.getloadavg()[0]:.1f})", flush=True)
                window = {n: [0.0, 0.0] for n in stores}
        for n, (w, c) in total.items():
            print(f"{n}: {before[n]:,} reads before; {done:,} more at {done / w:,.0f} reads/s "
                  f"(CPU {done / c:,.0f})", flush=True)
    finally:
        for s in stores.values():
            s.close()


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import accept_benchmark_formats

    accept_benchmark_formats()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=50_000)
    ap.add_argument("--distinct", type=int, default=300_000, help="distinct plates")
    ap.add_argument("--cameras", type=int, default=20)
    ap.add_argument("--runs", type=int, default=1, help="repeat and report the median")
    ap.add_argument(
        "--vendor-ids", action=argparse.BooleanOptionalAction, default=True,
        help="give each read a (source, vendor read id), as a vendor import does",
    )
    ap.add_argument("--small", action="store_true", help="CI size: 20,000 reads")
    ap.add_argument("--no-plain", action="store_true", help="the encrypted store only")
    ap.add_argument("--report-every", type=int, default=0,
                    help="print the marginal rate of each this many reads (a batch multiple)")
    ap.add_argument("--dir", type=Path, default=None, help="where to build the stores")
    ap.add_argument("--into", type=Path, action="append",
                    help="insert --reads more into this existing store directory (repeatable: "
                    "the batches alternate between them); prints the marginal rates")
    ap.add_argument("--seed", type=int, default=20261127,
                    help="the generator's seed (with --into: a new one per run, or the second "
                    "run finds every plate already stored)")
    ap.add_argument("--cache-mib", type=int, action="append",
                    help="with --into: the page cache of the store given in the same position "
                    "(repeatable; 0 keeps the program's default)")
    args = ap.parse_args(argv)
    if args.into:
        into_existing(args)
        return 0
    if args.small:
        args.reads, args.batch, args.distinct = 20_000, 5_000, 6_000
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="insert-bench-") as tmp:
        runs = []
        for run in range(args.runs):
            r = one_run(args, Path(tmp), run)
            runs.append(r)
            if args.no_plain:
                print(f"run {run + 1}: encrypted {r['encrypted']:,.0f} reads/s, by CPU time "
                      f"{r['encrypted_cpu']:,.0f}; file {r['encrypted_mb']:.0f} MB", flush=True)
                continue
            print(
                f"run {run + 1}: encrypted {r['encrypted']:,.0f} reads/s "
                f"(median batch {r['encrypted_median_batch']:,.0f}), "
                f"plain {r['plain']:,.0f} reads/s (median batch {r['plain_median_batch']:,.0f}), "
                f"ratio {r['encrypted'] / r['plain']:.2f}; by CPU time "
                f"{r['encrypted_cpu']:,.0f} / {r['plain_cpu']:,.0f} reads/s; "
                f"files {r['encrypted_mb']:.0f} MB / {r['plain_mb']:.0f} MB",
                flush=True,
            )
    enc = statistics.median(r["encrypted"] for r in runs)
    if args.no_plain:
        return 0
    plain = statistics.median(r["plain"] for r in runs)
    ratio = statistics.median(r["encrypted"] / r["plain"] for r in runs)
    print(
        f"reads={args.reads:,} batch={args.batch:,} distinct={args.distinct:,} "
        f"vendor_ids={args.vendor_ids} runs={args.runs}"
    )
    print(f"encrypted: {enc:,.0f} reads/s")
    print(f"plain:     {plain:,.0f} reads/s")
    print(f"ratio:     {ratio:.2f}")
    ok = enc >= 100_000 and ratio >= 0.8
    print("targets (>= 100,000 reads/s, ratio >= 0.8):", "met" if ok else "NOT met")
    return 0 if ok or args.small else 1


if __name__ == "__main__":
    raise SystemExit(main())
