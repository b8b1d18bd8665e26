"""`alpr-desktop demo --store PATH`: build a demo store from the terminal and print its
published passphrase and accounts (services/demo_store.py does the work)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path


def add_demo_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="build a demo store with synthetic reads and images")
    demo.add_argument("--store", type=Path, required=True, dest="demo_store")
    demo.add_argument("--reads", type=int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--no-images", action="store_true", help="metadata only (benchmarks)")
    demo.add_argument("--quiet", action="store_true")


def _printer(quiet: bool) -> Callable[[int, int], None] | None:
    if quiet:
        return None
    start = time.monotonic()

    def show(done: int, total: int) -> None:
        pct = 100 * done // total if total else 100
        print(f"demo: {done:>7,}/{total:,} reads ({pct:3d}%)  {time.monotonic() - start:6.1f} s",
              flush=True)

    return show


def run_demo_command(args: argparse.Namespace) -> int:
    """`alpr-desktop demo --store PATH --reads N [--seed S] [--no-images] [--quiet]`."""
    from alpr_desktop.services.demo_store import DEMO_PASSPHRASE, build_demo_store

    path = Path(args.demo_store)
    if args.reads < 0:
        print("alpr-desktop demo: --reads cannot be negative", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:  # a store or key file already there is refused before anything is written
        summary = build_demo_store(path, args.reads, args.seed, images=not args.no_images,
                                   progress=_printer(args.quiet))
    except FileExistsError as exc:
        print(f"alpr-desktop demo: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"demo: built in {time.monotonic() - started:.1f} s")
    print(f"DEMO store (synthetic data): {path}")
    print(f"  {summary.reads:,} reads, {summary.images:,} images, {summary.cameras} cameras, "
          f"{summary.distinct_plates:,} distinct plates, seed {args.seed}")
    print(f"  DEMO recovery passphrase (published, demo only): {DEMO_PASSPHRASE}")
    for user, password, roles in summary.accounts:
        print(f"  DEMO account {user!r} ({roles}): password {password}")
    return 0
