"""Audit figures: the access-log audit report of 100,000 entries (time, peak memory, qpdf,
every entry recovered by pdftotext) and verification of 1,000,000 entries.

    .venv/bin/python benchmarks/audit_bench.py            # full size
    .venv/bin/python benchmarks/audit_bench.py --small    # CI size

Targets (issue "custodian's audit"): report <= 15 s and <= 300 MB peak; verify <= 10 s.
The report runs in a child process so that its peak RSS is the report's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.roles import Role
from alpr_desktop.security import passwords
from alpr_desktop.storage import create_store, open_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo

CUSTODIAN_PASSWORD = "Civic-Center-Ledger-5M"  # noqa: S105 - a synthetic account
START_MS = 1_767_254_400_000  # 2026-01-01 00:00 PST
NARRATIVES = (
    "Armed robbery of the 7-Eleven at 21900 S Avalon Blvd on {d}; witnesses saw a grey "
    "Camry flee north, seeking to identify the suspect vehicle.",
    "Hit and run at Carson St and Main St at 22:40 on {d}; the victim was hospitalized. "
    "Locate the white pickup seen leaving the scene.",
    "Catalytic converter thefts in the Dominguez Hills lots on {d}; a dark SUV was seen at "
    "two of them. Identify the SUV and its owner.",
    "Shots fired at 223rd St and Figueroa on {d}; a red sedan left at speed. Find the "
    "sedan's route through the city cameras.",
    "investigation",
)
OFFENSES = ("Robbery", "Hit and run", "Theft", "Shooting / firearm offense", "Other felony")


def _events(n: int, seed: int = 7) -> list[tuple[LogEvent, int]]:
    """A plausible log: a dozen analysts, purposes declared per case and used for many
    searches and image views, sign-ins, some refusals, disclosures, contractor access."""
    rnd = random.Random(seed)
    users = [(f"analyst{i:02d}", "LASD Carson Station" if i % 3 else "LASD Lakewood Station")
             for i in range(12)]
    out: list[tuple[LogEvent, int]] = []
    ts = START_MS
    purpose: dict = {}
    user = users[0]
    case = 0
    while len(out) < n:
        ts += rnd.randrange(5_000, 120_000)
        if not purpose or rnd.random() < 0.03:
            user = users[min(int(rnd.paretovariate(1.6)) - 1, len(users) - 1)]
            case += 1
            k = rnd.randrange(len(NARRATIVES))
            purpose = {"category": "criminal_investigation", "offense": OFFENSES[k],
                       "case_number": f"123-{case:05d}-2026-{k:03d}",
                       "narrative": NARRATIVES[k].format(d=f"day {case % 28 + 1}")}
            out.append((LogEvent("signin.ok", "ok", user[0], user[1], "LASD", "ws1/bench"), ts))
            continue
        r = rnd.random()
        plate = f"{rnd.randrange(1, 9)}{''.join(rnd.choices('ABCDEFGHJKLMNPRSTUVWXYZ', k=3))}" \
                f"{rnd.randrange(1000):03d}" if r < 0.9 else "7ABC123"
        if r < 0.6 or r >= 0.9:
            out.append((LogEvent(
                "search", "ok", user[0], user[1], "LASD", "ws1/bench", purpose=purpose,
                query={"pattern": plate, "mode": rnd.choice(("exact", "fuzzy", "wildcard")),
                       "filters": {"state": "CA", "from": "2026-01-01", "to": "2026-03-31"}},
                result_count=rnd.randrange(0, 60)), ts))
        elif r < 0.85:
            out.append((LogEvent(
                "image.view", "ok", user[0], user[1], "LASD", "ws1/bench", purpose=purpose,
                query={"read_id": rnd.randrange(1, 10**6), "plate": plate}, result_count=2), ts))
        elif r < 0.87:
            out.append((LogEvent("signin.failed", "failed", user[0], user[1],
                                 detail={"reason": "wrong_password"}), ts))
        elif r < 0.88:
            out.append((LogEvent(
                "disclosure", "ok", user[0], user[1], "LASD", "ws1/bench", purpose=purpose,
                query={"read_ids": [rnd.randrange(10**6)], "plate": plate}, result_count=1,
                detail={"recipient_agency": "Long Beach Police Department",
                        "request": f"LBPD 26-{rnd.randrange(10**5):05d}"}), ts))
        elif r < 0.89:
            out.append((LogEvent(
                "gate.refused", "refused", "vendor", "Acme ALPR Services",
                query={"action": "search_reads"},
                detail={"action": "search_reads", "reason": "no_written_permission"}), ts))
        else:
            out.append((LogEvent(
                "search", "ok", "vendor", "Acme ALPR Services", "Acme", "ws2/bench",
                purpose={**purpose, "written_permission": "WP-2026-007"},
                query={"pattern": plate, "mode": "exact"}, result_count=1,
                detail={"permission_reference": "WP-2026-007"}), ts))
    return out[:n]


def build_store(path: Path, n: int, *, with_custodian: bool) -> bytes:
    key = os.urandom(32)
    store = create_store(path, key)
    repo = AccessLogRepo(store)
    chunk = 50_000
    events = _events(n)
    for i in range(0, n, chunk):
        with store.transaction():
            for ev, ts in events[i:i + chunk]:
                repo.append(ev, ts)
    if with_custodian:
        passwords.ITERATIONS = 1_000
        AccountRepo(store).add(
            Account(None, "keeper", "Kim Keeper", "City of Carson",
                    roles=frozenset({Role.CUSTODIAN})),
            passwords.hash_password(CUSTODIAN_PASSWORD), START_MS,
        )
    store.close()
    return key


def report_child(store_path: str, key_hex: str, out: str) -> None:
    """Run in a fresh process: sign in, build the report, print figures as JSON."""
    from alpr_desktop.services.audit_service import AuditService
    from alpr_desktop.services.auth import AuthService

    passwords.ITERATIONS = 1_000
    store = open_store(store_path, bytes.fromhex(key_hex))
    clock = FixedClock(START_MS + 120 * 86_400_000)
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("keeper", CUSTODIAN_PASSWORD))
    t0, c0 = time.perf_counter(), time.process_time()
    res = AuditService(store, clock).build_report(ctx, Path(out), AuditFilter())
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "cpu_s": cpu, "peak_mb": peak_mb, "entries": res.entries,
                      "pages": res.pages, "intact": res.verify.intact}))


def bench_report(n: int, workdir: Path) -> dict:
    path = workdir / "report.alprdb"
    t0 = time.perf_counter()
    key = build_store(path, n, with_custodian=True)
    build_s = time.perf_counter() - t0
    out = workdir / "audit.pdf"
    child = subprocess.run(
        [sys.executable, __file__, "--child", str(path), key.hex(), str(out)],
        capture_output=True, text=True, check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures["build_store_s"] = build_s
    figures["pdf_mb"] = out.stat().st_size / 1e6
    qpdf = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    figures["qpdf_ok"] = qpdf.returncode == 0
    t0 = time.perf_counter()
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    figures["pdftotext_s"] = time.perf_counter() - t0
    found = {int(m) for m in re.findall(r"^\s*#(\d+)\s+20\d\d-\d\d-\d\d ", text, re.M)}
    figures["entries_recovered"] = len(found & set(range(1, n + 1)))
    figures["all_recovered"] = found >= set(range(1, n + 1))
    figures["page_x_of_y"] = f"Page {figures['pages']} of {figures['pages']}" in text
    return figures


def bench_verify(n: int, workdir: Path) -> dict:
    path = workdir / "verify.alprdb"
    t0 = time.perf_counter()
    key = build_store(path, n, with_custodian=False)
    build_s = time.perf_counter() - t0
    store = open_store(path, key)
    t0, c0 = time.perf_counter(), time.process_time()
    res = AccessLogRepo(store).verify()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return {"entries": n, "seconds": elapsed, "cpu_s": cpu, "intact": res.intact,
            "checked": res.checked, "build_store_s": build_s}


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        report_child(*sys.argv[2:])
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--small", action="store_true", help="CI size: 2,000 and 20,000 entries")
    p.add_argument("--report-entries", type=int)
    p.add_argument("--verify-entries", type=int)
    p.add_argument("--keep", type=Path, help="keep the PDF here")
    p.add_argument("--skip-verify", action="store_true")
    p.add_argument("--skip-report", action="store_true")
    args = p.parse_args()
    n_report = args.report_entries or (2_000 if args.small else 100_000)
    n_verify = args.verify_entries or (20_000 if args.small else 1_000_000)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_report:
            report = bench_report(n_report, work)
            if args.keep:
                args.keep.write_bytes((work / "audit.pdf").read_bytes())
            print(f"report  {n_report:>9,} entries: {report['seconds']:.1f} s "
                  f"({report['cpu_s']:.1f} s CPU), peak {report['peak_mb']:.0f} MB, "
                  f"{report['pages']:,} pages, {report['pdf_mb']:.1f} MB PDF, "
                  f"qpdf {'ok' if report['qpdf_ok'] else 'FAILED'}, pdftotext recovered "
                  f"{report['entries_recovered']:,} entries ({report['pdftotext_s']:.1f} s), "
                  f"Page X of Y {'ok' if report['page_x_of_y'] else 'MISSING'}", flush=True)
            ok = report["qpdf_ok"] and report["all_recovered"] and report["page_x_of_y"]
            if not args.small:
                ok = ok and report["seconds"] <= 15 and report["peak_mb"] <= 300
        if not args.skip_verify:
            verify = bench_verify(n_verify, work)
            print(f"verify  {n_verify:>9,} entries: {verify['seconds']:.1f} s "
                  f"({verify['cpu_s']:.1f} s CPU, "
                  f"{'intact' if verify['intact'] else 'NOT INTACT'}, "
                  f"{verify['checked']:,} checked)", flush=True)
            ok = ok and verify["intact"] and (args.small or verify["seconds"] <= 10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
