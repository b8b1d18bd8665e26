"""Search latency as corrections of misreads accumulate (issue 20; policy §7 corrections).

    .venv/bin/python benchmarks/corrections_bench.py                       # 1M reads
    .venv/bin/python benchmarks/corrections_bench.py --reads 10000000      # a cached size
    .venv/bin/python benchmarks/corrections_bench.py --small               # CI size

A search finds corrected reads through the corrections in force that name one of its plates.
Until issue 20 it read every correction in force, and each one's read, on every search: an
exact search took 9 ms at 2,000 corrections and 34 ms at 10,000 on the 10M store (0.9 ms with
none). This copies search_bench's cached store, adds plate corrections in steps (on random
reads, to random existing plates: the rows an analyst's corrections leave), and after each
step times exact, wildcard and substring first pages through SearchService (gate and durable
log write included), as the search view asks for them. The figure: each kind's p50 with thousands of
corrections within 1.25x of its p50 with none, measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench as sb  # the cached stores
from search_vs_postgres import view_search

from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.storage.db import Store, open_store


def copy_store(src: Path, key: bytes, into: Path) -> Path:
    """The cached store copied whole (its WAL folded in first), so the cache stays as it was."""
    with open_store(src, key) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    dst = into / "corrections.alprdb"
    shutil.copyfile(src, dst)
    return dst


def add_corrections(store: Store, upto: int, rng: random.Random) -> int:
    """Plate corrections in force until there are ``upto``; how many there are."""
    have = int(store.scalar("SELECT count(*) FROM read_corrections WHERE ended_ms IS NULL"))
    top_read = int(store.scalar("SELECT max(id) FROM reads"))
    top_plate = int(store.scalar("SELECT max(id) FROM plates"))
    user = int(store.scalar("SELECT id FROM users WHERE username = ?", (sb.USER,)))
    with store.transaction() as c:
        while have < upto:
            read_id, plate_id = rng.randint(1, top_read), rng.randint(1, top_plate)
            taken = c.execute("SELECT 1 FROM read_corrections WHERE read_id = ? "
                              "AND ended_ms IS NULL", (read_id,)).fetchone()
            plate = c.execute("SELECT plate_norm FROM plates WHERE id = ?",
                              (plate_id,)).fetchone()
            if taken or plate is None:
                continue
            c.execute(
                "INSERT INTO read_corrections(read_id, plate_id, plate, reason, evidence_kind, "
                "evidence_sha256, corrected_by, corrected_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (read_id, plate_id, plate[0], "benchmark", "crop", "0" * 64, user,
                 int(time.time() * 1000)))
            have += 1
    return have


def p50_ms(search: Callable[[SearchQuery], object], queries: list[SearchQuery],
           warm: int) -> float:
    """p50 wall ms of ``search`` (one first page) over ``queries``, the first ``warm``
    untimed."""
    for q in queries[:warm]:
        search(q)
    times = []
    for q in queries[warm:]:
        t = time.perf_counter()
        search(q)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    from _common import use_memory_keyring

    use_memory_keyring()
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--steps", default="0,500,2000,10000",
                    help="corrections in force at each measurement, ascending")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per kind")
    ap.add_argument("--small", action="store_true", help="50,000 reads, CI")
    args = ap.parse_args()
    reads = 50_000 if args.small else args.reads
    steps = [0, 100] if args.small else [int(s) for s in args.steps.split(",")]
    nq = 10 if args.small else args.queries
    warm = 3 if args.small else 30
    built = sb.build(reads, "enc")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="alpr-corrections-bench-") as tmp:
        path = copy_store(built.enc, built.key, Path(tmp))
        with open_store(path, built.key) as store:
            search = view_search(store)
            print(f"{reads:,} reads; p50 ms per first page (gate + page + durable log)")
            base: dict[str, float] = {}
            for step in steps:
                n = add_corrections(store, step, rng)
                # Plates of their own at each step: the same ones would find their pages
                # in the cache the earlier steps filled.
                plates = sb.sample_plates(store, nq + warm, seed=reads + 11 + step)
                kinds = {
                    "exact": [SearchQuery(p, Mode.EXACT, Filters()) for p in plates],
                    "wildcard": [SearchQuery(p[:3] + "*", Mode.WILDCARD, Filters())
                                 for p in plates],
                    "substring": [SearchQuery(p[2:5], Mode.SUBSTRING, Filters())
                                  for p in plates],
                }
                got = {kind: p50_ms(search, qs, warm) for kind, qs in kinds.items()}
                base = base or got
                print(f"  {n:>6,} corrections in force: " + ", ".join(
                    f"{kind} {ms:.2f} ({ms / base[kind]:.2f}x)" for kind, ms in got.items()),
                    flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
