"""Peak memory (and time) of archiving the access log and of verifying the archive (issue 14).

    .venv/bin/python benchmarks/log_archive_bench.py                       # 100,000 and 1,000,000
    .venv/bin/python benchmarks/log_archive_bench.py --entries 100000
    .venv/bin/python benchmarks/log_archive_bench.py --small               # CI size
    .venv/bin/python benchmarks/log_archive_bench.py --code /path/to/other/tree   # e.g. main

Builds an encrypted store whose log holds N realistic entries (the audit benchmark's
generator, chained in Python) all older than five years, then runs, each in a fresh process
so that its peak resident set is its own: LogArchiveService.archive (sign-in, the whole
archiving run, the anchor and the removal of the prefix), then LogArchiveService.verify with
the archive file. Each child reports VmHWM (peak RSS) just before the measured call and after
it; the difference is what the call itself needed. ``--code`` runs the children on another
source tree (the store format is the same), which is how the figures of main were taken.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_code = os.environ.get("ALPR_BENCH_CODE")
sys.path.insert(0, _code or str(HERE.parent))
sys.path.insert(1, str(HERE))

from _common import use_memory_keyring  # noqa: E402

from alpr_desktop.core.clock import FixedClock  # noqa: E402
from alpr_desktop.security import passwords, secret_wrap  # noqa: E402

YEAR_MS = 365 * 86_400_000


def _hwm_kib() -> int:
    """Peak resident set of this process so far (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def _child(kind: str, store_path: str, key_hex: str, target: str) -> int:
    from audit_bench import CUSTODIAN_PASSWORD, START_MS

    from alpr_desktop.services.auth import AuthService
    from alpr_desktop.services.log_archive import LogArchiveService
    from alpr_desktop.storage import open_store

    use_memory_keyring()
    passwords.ITERATIONS = 1_000
    secret_wrap.DEFAULT_COST = secret_wrap.ScryptCost(n=2**14)
    clock = FixedClock(START_MS + 7 * YEAR_MS)
    store = open_store(Path(store_path), bytes.fromhex(key_hex))
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("keeper", CUSTODIAN_PASSWORD))
    service = LogArchiveService(store, clock)
    before = _hwm_kib()
    t0 = time.perf_counter()
    if kind == "archive":
        done = service.archive(ctx, CUSTODIAN_PASSWORD, target)
        assert done.anchor is not None
        out = {"entries": done.anchor.last_seq - done.anchor.first_seq + 1, "path": done.path}
    else:
        result = service.verify(ctx, [target])
        assert result.end_to_end, result.summary()
        out = {"entries": result.segments[-1].anchor.last_seq}
    seconds = time.perf_counter() - t0
    store.close()
    print(json.dumps({**out, "before_kib": before, "peak_kib": _hwm_kib(),
                      "seconds": round(seconds, 2)}))
    return 0


def _run_child(code: str | None, *args: str) -> dict[str, object]:
    env = {**os.environ, **({"ALPR_BENCH_CODE": code} if code else {})}
    proc = subprocess.run([sys.executable, __file__, "--child", *args], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _mib(kib: object) -> str:
    return f"{int(str(kib)) / 1024:.0f} MiB"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return _child(*sys.argv[2:6])
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entries", type=int, action="append",
                   help="log size (repeat; default 100,000 and 1,000,000)")
    p.add_argument("--small", action="store_true", help="CI size: 3,000 entries")
    p.add_argument("--code", help="source tree the archiving and verifying children run")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="build each store once in DIR and archive a copy of it (reused later)")
    args = p.parse_args()
    sizes = [3_000] if args.small else (args.entries or [100_000, 1_000_000])
    from verify_bench import build

    use_memory_keyring()
    passwords.ITERATIONS = 1_000
    code = str(Path(args.code).resolve()) if args.code else None
    print(f"code: {code or HERE.parent}")
    for n in sizes:
        with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
            work = Path(tmp)
            t0 = time.perf_counter()
            path = work / "archive-bench.alprdb"
            kept = args.keep / f"archive-bench-{n}.alprdb" if args.keep else None
            if kept is not None and kept.exists():
                key = bytes.fromhex(kept.with_suffix(".key.hex").read_text())
            else:
                key = build(kept or path, n)
                if kept is not None:
                    kept.with_suffix(".key.hex").write_text(key.hex())
            if kept is not None:
                shutil.copyfile(kept, path)
                wal = kept.with_name(kept.name + "-wal")
                if wal.exists():
                    shutil.copyfile(wal, path.with_name(path.name + "-wal"))
            build_s = time.perf_counter() - t0
            folder = work / "out"
            folder.mkdir()
            made = _run_child(code, "archive", str(path), key.hex(), str(folder))
            size = Path(str(made["path"])).stat().st_size
            checked = _run_child(code, "verify", str(path), key.hex(), str(made["path"]))
        print(f"{n:,} entries (built in {build_s:.0f} s), archive file {size / 2**20:.0f} MiB:")
        for what, r in (("archive", made), ("verify", checked)):
            grew = int(str(r["peak_kib"])) - int(str(r["before_kib"]))
            print(f"  {what:8s} {int(str(r['entries'])):,} entries in {r['seconds']} s; "
                  f"peak RSS {_mib(r['peak_kib'])} (before the call {_mib(r['before_kib'])}, "
                  f"the call added {_mib(grew)})")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
