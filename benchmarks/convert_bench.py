"""Converting a store made by an earlier version to today's format (issue 20): seconds, MB/s of
the store file, and each phase's share (checkpoint, copy, verify, swap).

The store is built in the earlier format (16 KiB pages, HMAC-SHA512) from search_bench's
generator (its reads, plates, candidates and 40 cameras; metadata only), then converted with
storage/format_convert.py exactly as ``alpr-desktop store convert`` does, minus the sign-in.
With --store and --key-file an existing store (any earlier format; ALPR_BENCH_4K_SHA512=1
admits the 4 KiB / HMAC-SHA512 benchmark stores) is converted in place instead: the lead's
10M and 100M runs. The load average is printed before and after: quote it with the figures.

    .venv/bin/python benchmarks/convert_bench.py                        # 20,000 reads
    .venv/bin/python benchmarks/convert_bench.py --reads 200000 --dir /work/scratch/x
    .venv/bin/python benchmarks/convert_bench.py --store S.alprdb --key-file S.key
    .venv/bin/python benchmarks/convert_bench.py --small                # CI size
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import accept_benchmark_formats
from search_bench import batches, setup_store

from alpr_desktop.storage import db
from alpr_desktop.storage import format_convert as fc
from alpr_desktop.storage.reads import ReadRepo

MIB = 1024 * 1024


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "(no /proc/loadavg)"


def build_old(path: Path, reads: int) -> bytes:
    """A store of ``reads`` reads in the first earlier format; returns its key."""
    key = secrets.token_bytes(32)
    real = db.STORE_FORMAT
    db.STORE_FORMAT = db.EARLIER_FORMATS[0]
    try:
        store = db.create_store(path, key)
    finally:
        db.STORE_FORMAT = real
    try:
        cams = setup_store(store, 40)
        repo = ReadRepo(store)
        t0 = time.perf_counter()
        for batch in batches(reads, cams):
            repo.insert_many(batch)
        store.execute("PRAGMA optimize")
        print(f"built {reads:,} reads in {store.cipher_format} in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    finally:
        store.close()
    return key


def convert(path: Path, key: bytes) -> None:
    """Convert and print the figures. The swap's fixed wait for openers that were waiting
    (format_convert.DRAIN_S, 6 s; nobody waits here) is left out of them."""
    drain, fc.DRAIN_S = fc.DRAIN_S, 0.0
    marks: list[tuple[str, float]] = []

    def report(phase: str, _share: float) -> None:
        if not marks or marks[-1][0] != phase:
            marks.append((phase, time.perf_counter()))

    size = path.stat().st_size + fc._size(Path(f"{path}-wal"))
    print(f"load average before: {loadavg()}", flush=True)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    done = fc.convert_file(path, key, report=report)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"load average after:  {loadavg()}", flush=True)
    print(done.summary)
    if not done.converted:
        return
    ends = [t for _, t in marks[1:]] + [t0 + wall]
    phases = ", ".join(f"{p} {end - start:.2f} s" for (p, start), end in zip(marks, ends,
                                                                            strict=True))
    print(f"store {size / MIB:,.1f} MiB -> {path.stat().st_size / MIB:,.1f} MiB; "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU (this process; log-verify helpers aside); "
          f"{size / MIB / wall:,.1f} MB/s of the old file")
    print(f"phases: {phases} (the swap's {drain:.0f} s wait for waiting openers left out)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, default=20_000)
    ap.add_argument("--small", action="store_true", help="2,000 reads (CI)")
    ap.add_argument("--dir", type=Path, help="folder for the built store (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the built store")
    ap.add_argument("--store", type=Path, help="convert this store in place")
    ap.add_argument("--key-file", type=Path, help="its raw key, hex (with --store)")
    args = ap.parse_args(argv)
    accept_benchmark_formats()
    if args.store:
        if not args.key_file:
            ap.error("--store needs --key-file")
        convert(args.store, bytes.fromhex(args.key_file.read_text().strip()))
        return 0
    reads = 2_000 if args.small else args.reads
    where = Path(tempfile.mkdtemp(prefix="alpr-convert-bench-", dir=args.dir))
    try:
        path = where / "old.alprdb"
        key = build_old(path, reads)
        convert(path, key)
        with db.open_store(path, key) as check:
            assert check.cipher_format == db.STORE_FORMAT
            assert int(check.scalar("SELECT count(*) FROM reads")) == reads
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)
        else:
            print(f"kept {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
