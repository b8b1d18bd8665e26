"""What another connection's commit costs the next search (issue 20: the kept connection).

    .venv/bin/python benchmarks/search_cache_bench.py                      # 1M reads
    .venv/bin/python benchmarks/search_cache_bench.py --reads 10000000     # a cached size
    .venv/bin/python benchmarks/search_cache_bench.py --small              # CI size

The search view keeps one connection with a large page cache for its searches. In WAL mode,
SQLite drops a connection's whole page cache when it starts a read and finds that another
connection has committed since (the WAL changed), so any logged action committed elsewhere
between two searches (the thumbnails' log entry did that after every page until session 13)
leaves the next search to read and decrypt its pages again. Per kind, on search_bench's
cached store and through SearchService as the view asks (gate and durable log write included),
this times first pages in three runs of equal size: searches back to back, each search right
after another connection committed a row, then back to back again; and prints the middle
run's p50 over the mean of the other two.

With ``--connections N`` it measures the other thing a kept cache costs: N connections opened
in turn in one process, each warmed and given the same first pages, with the minor page faults
and system CPU of each one's searches. The first connection takes fresh memory for every page
it caches (a fault per 4 KiB on first touch); a later one reuses what the one before freed.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench as sb  # the cached stores
from search_vs_postgres import KINDS, embedded_queries, view_search

from alpr_desktop.core.search import SearchQuery
from alpr_desktop.storage.db import Store, open_store

WARM = 8  # untimed searches per kind first


def p50(search: Callable[[SearchQuery], object], queries: list[SearchQuery],
        commit: Callable[[], None] | None) -> float:
    """Median ms of a first page; ``commit`` runs (untimed) before each search."""
    times = []
    for q in queries:
        if commit is not None:
            commit()
        t = time.perf_counter()
        search(q)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


@contextlib.contextmanager
def elsewhere(store: Store) -> Iterator[Callable[[], None]]:
    """A commit on a connection of its own, into a scratch table dropped afterwards (the
    cached store's data untouched and its schema as it was)."""
    other = store.reopen()
    try:
        other.execute("CREATE TABLE IF NOT EXISTS bench_other_commit(x INTEGER)")

        def commit() -> None:
            with other.transaction():
                other.execute("INSERT INTO bench_other_commit VALUES (1)")
        yield commit
    finally:
        other.execute("DROP TABLE IF EXISTS bench_other_commit")
        other.close()


def measure_kinds(store: Store, search: Callable[[SearchQuery], object],
                  commit: Callable[[], None], reads: int, n: int) -> None:
    """Per kind: ``n`` first pages back to back, ``n`` each after ``commit``, ``n`` back to
    back again; the middle run's p50 over the mean of the other two."""
    plates = sb.sample_plates(store, 3 * n + WARM, seed=reads + 13)
    queries = embedded_queries(plates, seed=reads + 13)
    print(f"{reads:,} reads, {n} searches per kind and run; p50 ms "
          "(back to back / each after another connection's commit / back to back)")
    for kind in KINDS:
        qs = queries[kind]
        p50(search, qs[:WARM], None)
        a = p50(search, qs[WARM:WARM + n], None)
        r = p50(search, qs[WARM + n:WARM + 2 * n], commit)
        a2 = p50(search, qs[WARM + 2 * n:WARM + 3 * n], None)
        print(f"  {kind:10s} {a:6.2f} / {r:6.2f} / {a2:6.2f}   after a commit elsewhere: "
              f"{r / ((a + a2) / 2):.2f}x", flush=True)


def connections_in_turn(b: sb.Built, reads: int, n: int, count: int) -> None:
    """``count`` connections one after another, each warmed as the view's and given the
    same ``n`` first pages per kind: p50 per kind, minor faults and system CPU."""
    print(f"{reads:,} reads, {count} connections in turn, {n} searches per kind each")
    for i in range(count):
        with open_store(b.enc, b.key) as store:
            search = view_search(store)
            queries = embedded_queries(sb.sample_plates(store, n + WARM, seed=reads + 17),
                                       seed=reads + 17)
            before = resource.getrusage(resource.RUSAGE_SELF)
            medians = []
            for kind in KINDS:
                p50(search, queries[kind][:WARM], None)
                medians.append(p50(search, queries[kind][WARM:], None))
            after = resource.getrusage(resource.RUSAGE_SELF)
        print(f"  connection {i + 1}: " + " / ".join(f"{m:.2f}" for m in medians)
              + f" ms ({' / '.join(KINDS)}); minor faults {after.ru_minflt - before.ru_minflt:,}"
              f", system CPU {after.ru_stime - before.ru_stime:.2f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    from _common import accept_benchmark_formats

    accept_benchmark_formats()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reads", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=30, help="per kind and run")
    ap.add_argument("--connections", type=int, default=0,
                    help="instead: this many connections in turn, with their page faults")
    ap.add_argument("--small", action="store_true", help="CI size: 20,000 reads")
    args = ap.parse_args(argv)
    if args.small:
        args.reads, args.queries = 20_000, 4
    b = sb.build(args.reads, "enc")
    if args.connections:
        with open_store(b.enc, b.key) as store:
            sb.post_recent(store, "encrypted")
        connections_in_turn(b, args.reads, args.queries, args.connections)
        return 0
    with open_store(b.enc, b.key) as store:
        sb.post_recent(store, "encrypted")
        search = view_search(store)
        with elsewhere(store) as commit:
            measure_kinds(store, search, commit, args.reads, args.queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
