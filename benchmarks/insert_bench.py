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
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.storage.db import (
    Store,
    _create_plain_store_for_benchmark,
    create_store,
)
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

_PLATE_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_MAKES = ("TOYOTA", "HONDA", "FORD", "CHEVROLET", "NISSAN", "TESLA", "BMW", "KIA")
_COLORS = ("WHITE", "BLACK", "SILVER", "GRAY", "RED", "BLUE")
_BODIES = ("SEDAN", "SUV", "PICKUP", "VAN", "COUPE")
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def batches(args: argparse.Namespace, camera_ids: list[int]) -> Iterator[list[NewRead]]:
    """Deterministic batches: the same seed gives both stores the same reads."""
    rng = random.Random(20261127)
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
    plain = _create_plain_store_for_benchmark(workdir / f"plain{run}.sqlite")
    stores = {"encrypted": enc, "plain": plain}
    cams = {name: setup(s, args.cameras) for name, s in stores.items()}
    assert cams["encrypted"] == cams["plain"]
    repos = {name: ReadRepo(s) for name, s in stores.items()}
    elapsed = dict.fromkeys(stores, 0.0)
    cpu = dict.fromkeys(stores, 0.0)
    per_batch: dict[str, list[float]] = {name: [] for name in stores}
    for i, batch in enumerate(batches(args, cams["encrypted"])):
        order = list(stores) if i % 2 == 0 else list(reversed(stores))
        for name in order:
            t, c = time.perf_counter(), time.process_time()
            repos[name].insert_many(batch)
            dt = time.perf_counter() - t
            cpu[name] += time.process_time() - c
            elapsed[name] += dt
            per_batch[name].append(len(batch) / dt)
    result = {}
    for name, s in stores.items():
        assert repos[name].count() == args.reads
        result[name] = args.reads / elapsed[name]
        result[f"{name}_cpu"] = args.reads / cpu[name]
        result[f"{name}_median_batch"] = statistics.median(per_batch[name])
        s.close()
        result[f"{name}_mb"] = s.path.stat().st_size / 1e6
    return result


def main(argv: list[str] | None = None) -> int:
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
    ap.add_argument("--dir", type=Path, default=None, help="where to build the stores")
    args = ap.parse_args(argv)
    if args.small:
        args.reads, args.batch, args.distinct = 20_000, 5_000, 6_000
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="insert-bench-") as tmp:
        runs = []
        for run in range(args.runs):
            r = one_run(args, Path(tmp), run)
            runs.append(r)
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
