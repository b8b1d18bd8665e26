"""Time verifying the access log against a signed checkpoint (target: 1,000,000 entries in 10 s).

Issue 10 §2 names the figure "verify of 1,000,000 entries against a checkpoint <= 10 s".

    .venv/bin/python benchmarks/verify_bench.py                  # 1,000,000 entries, 3 runs
    .venv/bin/python benchmarks/verify_bench.py --small          # CI size
    .venv/bin/python benchmarks/verify_bench.py --entries 200000 --runs 5

Builds an encrypted store whose log holds realistic entries (the audit benchmark's generator),
chained in Python and inserted in batches through the append-only trigger; a custodian issues
a checkpoint of the head; then the whole CheckpointService.verify (gate, signature check, chain
walk, comparison with the checkpoint, the audit.verify log entry) is timed, median of --runs.
The plain chain walk, the same walk without its helper process, the walk as it was before
(every row brought to Python and hashed there) and the cost of the append-only trigger on
appends (rolled back, so a kept store does not grow) are printed beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import use_memory_keyring
from audit_bench import CUSTODIAN_PASSWORD, START_MS, _events

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_log import GENESIS_HASH, LogEvent, canonical_json, entry_digest
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords, secret_wrap
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.storage import Store, create_store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo, expected_triggers
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.log_verify import ENCODING_SQL

TARGET_S = 10.0
BATCH = 50_000
INSERT = (
    "INSERT INTO access_log(seq, ts_ms, event, outcome, username, organization, agency, "
    "workstation, purpose, query, result_count, detail, prev_hash, hash) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def build(path: Path, n: int) -> bytes:
    """A store with ``n`` chained entries and a custodian account; returns its key."""
    key = os.urandom(32)
    store = create_store(path, key)
    seq, prev = AccessLogRepo(store).head()
    events = _events(n)
    for i in range(0, n, BATCH):
        rows = []
        for ev, ts in events[i:i + BATCH]:
            seq += 1
            fields = (seq, ts, ev.event, ev.outcome, ev.username, ev.organization, ev.agency,
                      ev.workstation, canonical_json(ev.purpose), canonical_json(ev.query),
                      ev.result_count, canonical_json(ev.detail), prev)
            prev = entry_digest(*fields)
            rows.append((*fields, prev))
        with store.transaction() as c:
            c.executemany(INSERT, rows)
    AccountRepo(store).add(
        Account(None, "keeper", "Kim Keeper", "City of Carson", roles=frozenset({Role.CUSTODIAN})),
        passwords.hash_password(CUSTODIAN_PASSWORD), START_MS)
    store.close()
    return key


class _RollBack(Exception):
    """Ends append_cost's transaction without committing: a kept store stays the same."""


def append_cost(store: Store, n: int, with_trigger: bool) -> float:
    """Microseconds per AccessLogRepo.append inside one transaction (rolled back)."""
    repo = AccessLogRepo(store)
    ev = LogEvent("search", "ok", "analyst01", "LASD Carson Station", "LASD", "ws1/bench",
                  query={"pattern": "7ABC123", "mode": "exact"}, result_count=3)
    if not with_trigger:
        store.execute("DROP TRIGGER access_log_append_only")
    try:
        t0 = time.perf_counter()
        try:
            with store.transaction():
                for i in range(n):
                    repo.append(ev, START_MS + i)
                elapsed = time.perf_counter() - t0
                raise _RollBack
        except _RollBack:
            pass
        return elapsed / n * 1e6
    finally:
        if not with_trigger:
            store.execute(expected_triggers()["access_log_append_only"])


def previous_walk(store: Store) -> int:
    """The walk before this change (main at 4040cda, without its read-ahead thread, which
    gave no overlap): SQLite builds each encoding, every row comes to Python, Python hashes.
    Returns the entries checked; raises if the chain does not check out."""
    sql = (f"SELECT seq, prev_hash, hash, {ENCODING_SQL} FROM access_log a "
           "WHERE a.seq > ? ORDER BY a.seq LIMIT 50000")
    sha256, last, prev = hashlib.sha256, 0, GENESIS_HASH
    while True:
        rows = store.query(sql, (last,))
        if not rows:
            return last
        for seq, stored_prev, stored_hash, encoded in rows:
            if (seq != last + 1 or stored_prev != prev
                    or sha256(encoded).hexdigest() != stored_hash):
                raise RuntimeError(f"previous walk: entry #{seq} does not check out")
            last, prev = seq, stored_hash


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the verification's helpers)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entries", type=int, default=1_000_000, help="log size (default 1,000,000)")
    p.add_argument("--runs", type=int, default=3, help="timed verifications (median reported)")
    p.add_argument("--small", action="store_true", help="CI size: 5,000 entries, 1 run")
    p.add_argument("--appends", type=int, default=5_000,
                   help="appends timed with and without the append-only trigger")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="build the store in DIR and reuse it on later runs (same size)")
    args = p.parse_args()
    n, runs = (5_000, 1) if args.small else (args.entries, max(1, args.runs))
    appends = min(500, args.appends) if args.small else args.appends
    use_memory_keyring()
    passwords.ITERATIONS = 1_000  # sign-in is not what is measured here
    secret_wrap.DEFAULT_COST = secret_wrap.ScryptCost(n=2**14)
    clock = FixedClock(START_MS + 200 * 86_400_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = (args.keep or work) / f"verify-{n}.alprdb"
        key_file = path.with_suffix(".key.hex")
        t0 = time.perf_counter()
        if args.keep and path.exists() and key_file.exists():
            key = bytes.fromhex(key_file.read_text())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = build(path, n)
            if args.keep:
                key_file.write_text(key.hex())
                os.chmod(key_file, 0o600)
        build_s = time.perf_counter() - t0
        store = open_store(path, key)
        try:
            auth = AuthService(store, clock)
            ctx = auth.context(auth.sign_in("keeper", CUSTODIAN_PASSWORD))
            svc = CheckpointService(store, clock)
            cp = svc.issue(ctx, CUSTODIAN_PASSWORD, work / "bench.alprcheckpoint")
            times: list[float] = []
            cpu: list[float] = []
            helper_cpu: list[float] = []
            for _ in range(runs):
                t0, c0, h0 = time.perf_counter(), time.process_time(), _children_cpu()
                res = svc.verify(ctx, cp.path)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                helper_cpu.append(_children_cpu() - h0)
                if not res.intact:
                    print(f"NOT INTACT: {res.reason}", file=sys.stderr)
                    return 1
            t0, c0 = time.perf_counter(), time.process_time()
            plain = AccessLogRepo(store).verify()
            plain_s, plain_cpu = time.perf_counter() - t0, time.process_time() - c0
            t0, c0 = time.perf_counter(), time.process_time()
            alone = AccessLogRepo(store).verify(split_from=sys.maxsize)
            alone_s, alone_cpu = time.perf_counter() - t0, time.process_time() - c0
            t0, c0 = time.perf_counter(), time.process_time()
            old_checked = previous_walk(store)
            old_s, old_cpu = time.perf_counter() - t0, time.process_time() - c0
            with_trigger = append_cost(store, appends, True)
            without = append_cost(store, appends, False)
        finally:
            store.close()
    median = statistics.median(times)
    load = os.getloadavg()[0]
    print(f"build {n:,} entries: {build_s:.1f} s" + (" (reused)" if build_s < 5 and n > 10**5
                                                       else ""))
    print(f"verify against a checkpoint ({cp.checkpoint.entry_count:,} entries): median "
          f"{median:.2f} s of {runs} (runs: {', '.join(f'{t:.2f}' for t in times)}; CPU "
          f"median {statistics.median(cpu):.2f} s here, "
          f"{statistics.median(helper_cpu):.2f} s in helper processes); "
          f"target <= {TARGET_S:.0f} s: {'met' if median <= TARGET_S else 'MISSED'}")
    print(f"plain chain walk, same store: {plain_s:.2f} s, CPU {plain_cpu:.2f} s "
          f"({plain.checked:,} entries)")
    print(f"same walk in this process only (no helper process): {alone_s:.2f} s, CPU "
          f"{alone_cpu:.2f} s ({alone.checked:,} entries)")
    print(f"previous walk (main before this change), same store: {old_s:.2f} s, CPU "
          f"{old_cpu:.2f} s ({old_checked:,} entries)")
    print(f"append with the append-only trigger: {with_trigger:.1f} us; without: {without:.1f} us "
          f"({appends:,} appends in one transaction)")
    print(f"load average {load:.1f}")
    return 0 if args.small or median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
