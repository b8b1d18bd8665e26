"""What the page size costs an encrypted store: one small commit, and a batch of inserts into a
random-order index as the index grows (issue 20's choice of 4 KiB pages over 16 KiB).

SQLCipher encrypts and HMACs every page it writes and decrypts every page it reads, whole.
Two measurements on bare SQLCipher (no program code, so nothing else moves):

* a commit of one log-like row into a table with 0-4 secondary indexes (each index is one
  more dirty page per commit; a search's access-log entry dirties five), p50 wall and mean
  CPU per commit, synchronous = FULL;
* the marginal cost of a 50,000-row batch into a table with a random (plate, time) index of
  ``--rows`` entries (the shape of reads_plate_time), 64 MiB page cache as the program's
  default, CPU and wall per batch.

    .venv/bin/python benchmarks/page_size_bench.py                    # 1M and 10M rows
    .venv/bin/python benchmarks/page_size_bench.py --rows 1000000     # one size
    .venv/bin/python benchmarks/page_size_bench.py --small            # CI size
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
from pathlib import Path
from typing import Any

import sqlcipher3

SIZES = (16384, 4096)


def _connect(path: Path, page_size: int) -> Any:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    c = sqlcipher3.connect(str(path), isolation_level=None)
    c.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
    c.execute(f"PRAGMA cipher_page_size = {page_size}")
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("PRAGMA synchronous = FULL")
    c.execute("PRAGMA cache_size = -65536")
    return c


def commits(work: Path, n: int) -> None:
    print("one small commit (a log-like row), ms: p50 wall / mean CPU", flush=True)
    for ps in SIZES:
        cells = []
        for k in range(5):
            c = _connect(work / "commit.db", ps)
            c.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, ts INT, a TEXT, b TEXT, "
                      "h TEXT, pad TEXT)")
            for i, col in enumerate(["ts", "a", "b", "h"][:k]):
                c.execute(f"CREATE INDEX i{i} ON t ({col}, ts)")
            c.execute("PRAGMA wal_autocheckpoint = 0")
            wall, cpu = [], []
            for i in range(n):
                t, p = time.perf_counter(), time.process_time()
                c.execute("BEGIN IMMEDIATE")
                c.execute("INSERT INTO t VALUES (NULL, ?, ?, ?, ?, ?)",
                          (i, f"user{i % 5}", "search", secrets.token_hex(32), "x" * 600))
                c.execute("COMMIT")
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - p)
                if i % 100 == 99:
                    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            c.close()
            skip = n // 8
            cells.append(f"{k} idx {statistics.median(wall[skip:]) * 1000:.3f} / "
                         f"{statistics.mean(cpu[skip:]) * 1000:.3f}")
        print(f"  {ps // 1024:>2} KiB pages: " + "; ".join(cells) +
              f" (load {os.getloadavg()[0]:.1f})", flush=True)


def inserts(work: Path, rows: int, batches: int) -> None:
    print(f"50,000-row batches into a random (plate, time) index of {rows:,} entries, s per "
          "batch: median wall / median CPU", flush=True)
    for ps in SIZES:
        c = _connect(work / "insert.db", ps)
        c.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, plate_id INT, t INT, pad TEXT)")
        c.execute("CREATE INDEX r_pt ON r (plate_id, t)")
        rng = random.Random(1)
        plates = max(1, rows // 4)

        def batch(start: int, n: int) -> list[tuple[int, int, int, str]]:
            return [(start + i, rng.randrange(plates), start + i, "x" * 120)  # noqa: B023
                    for i in range(n)]

        t0, done = time.perf_counter(), 0
        while done < rows:
            n = min(500_000, rows - done)
            c.execute("BEGIN")
            c.executemany("INSERT INTO r VALUES (?,?,?,?)", batch(done, n))
            c.execute("COMMIT")
            done += n
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        built = time.perf_counter() - t0
        wall, cpu = [], []
        for _ in range(batches):
            b = batch(done, 50_000)
            done += 50_000
            t, p = time.perf_counter(), time.process_time()
            c.execute("BEGIN")
            c.executemany("INSERT INTO r VALUES (?,?,?,?)", b)
            c.execute("COMMIT")
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - p)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.close()
        print(f"  {ps // 1024:>2} KiB pages: {statistics.median(wall):.2f} / "
              f"{statistics.median(cpu):.2f} (built in {built:.0f} s; load "
              f"{os.getloadavg()[0]:.1f})", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--rows", type=int, action="append", help="index size (repeatable)")
    ap.add_argument("--small", action="store_true", help="CI size")
    ap.add_argument("--dir", type=Path, help="where the scratch databases go")
    args = ap.parse_args(argv)
    sizes = [20_000] if args.small else (args.rows or [1_000_000, 10_000_000])
    with tempfile.TemporaryDirectory(prefix="page-size-", dir=args.dir) as tmp:
        commits(Path(tmp), 40 if args.small else 400)
        for rows in sizes:
            inserts(Path(tmp), rows, 2 if args.small else 6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
