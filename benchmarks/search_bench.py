"""Plate search latency through SearchService (gate, filters, durable log write included) on
1M, 3M and 10M-read stores, against a plain-SQLite baseline on the same data.

    .venv/bin/python benchmarks/search_bench.py                      # 1M, 3M, 10M
    .venv/bin/python benchmarks/search_bench.py --reads 1000000      # one size
    .venv/bin/python benchmarks/search_bench.py --small              # CI size (50,000)
    .venv/bin/python benchmarks/search_bench.py --reads 10000000 --stall   # GUI stall probe
    .venv/bin/python benchmarks/search_bench.py --reads 1000000 --sorted  # results sorted by
                                                  # a column (encrypted store only)

Stores are metadata only, built once through ReadRepo.insert_many and cached under
$TMPDIR/alpr-search-bench/<data version>/ps<page size>/<reads>/ (the encrypted store, its key,
and a plain sqlite3 twin built from the same batches; ``--build-only --only enc|plain`` builds
the twins in two processes). Plates follow a commuter-heavy distribution: 35% of
reads come from 0.5% of the reads' count in plates (the regulars), the rest Zipf-like over a
long tail, giving about a quarter as many distinct plates as reads; 5% of reads carry an
alternate OCR candidate (a look-alike of their plate).

Figures (Plate search issue, p50 of >= 20 varied queries each): exact <= 15 ms; wildcard or
substring <= 60 ms; fuzzy <= 150 ms; next page <= 20 ms. The baseline answers the same
questions the plain way: the plate index for exact, and ``reads.plate LIKE`` scans for
wildcard and substring (no trigram, no plates table).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alpr_desktop.core.accounts import AccessContext, Account
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.core.search import Filters, SearchQuery, SortColumn, TimePreset
from alpr_desktop.security import passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.purposes import PurposeService
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage import db as dbmod
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.db import Store, create_store, open_store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo
from alpr_desktop.storage.training import TrainingRepo

CACHE = Path(os.environ.get("ALPR_SEARCH_BENCH_DIR",
                           Path(tempfile.gettempdir()) / "alpr-search-bench"))
T_END = 1_767_225_600  # 2026-01-01T00:00:00Z: reads cover the year before
SPAN = 365 * 86_400
BATCH = 50_000
# Stores of 20M reads and more are built 1M reads per transaction with a 6 GiB page cache:
# at 50,000 per transaction every commit rewrites most leaves of the random (plate, time)
# index, and a 100M build would take most of a day. Same reads, same insert path
# (ReadRepo.insert_many), only fewer commits.
BIG_STORE, BIG_GROUP, BIG_CACHE_MIB = 20_000_000, 20, 6144
USER, PASSWORD = "bench.analyst", "Bench-Analyst-Pass-9Q"
LETTERS = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))  # CA plates skip I, O, Q
DIGITS = np.array(list("0123456789"))
_SWAP = {"8": "B", "B": "8", "0": "O", "O": "0", "1": "I", "5": "S", "S": "5", "2": "Z",
         "Z": "2", "6": "G", "G": "6", "D": "0"}
MAKES = ("TOYOTA", "HONDA", "FORD", "CHEVROLET", "NISSAN", "TESLA", "BMW", "KIA", "HYUNDAI")
COLORS = ("WHITE", "BLACK", "SILVER", "GRAY", "RED", "BLUE")
BODIES = ("SEDAN", "SUV", "PICKUP", "VAN", "COUPE")


# Bump when the generated data changes. Stores are not rebuilt for schema edits that leave the
# search indexes alone (open_store migrates forward); the done file records the schema hash.
DATA_VERSION = "d1"


def schema_hash() -> str:
    h = hashlib.sha256()
    for mig in dbmod.migrations():
        h.update(mig.sql.encode())
    return h.hexdigest()[:12]


# -- data ----------------------------------------------------------------------------------------


def plate_strings(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct plates: 85% California 1ABC234, 15% other states' ABC1234."""
    ca = int(n * 0.85)
    out: set[str] = set()
    res: list[str] = []
    while len(res) < n:
        k = (ca if len(res) < ca else n) - len(res)
        k = int(k * 1.05) + 16
        if len(res) < ca:
            cols = [rng.choice(DIGITS[1:], k), *(rng.choice(LETTERS, k) for _ in range(3)),
                    *(rng.choice(DIGITS, k) for _ in range(3))]
        else:
            cols = [*(rng.choice(LETTERS, k) for _ in range(3)),
                    *(rng.choice(DIGITS, k) for _ in range(4))]
        for s in map("".join, zip(*cols, strict=True)):
            if s not in out:
                out.add(s)
                res.append(s)
                if len(res) == ca or len(res) == n:
                    break
    return np.array(res)


def look_alike(plate: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(plate) if ch in _SWAP]
    if not spots:
        i = rng.randrange(len(plate))
        return plate[:i] + rng.choice("ABCDEFGH") + plate[i + 1:]
    i = rng.choice(spots)
    return plate[:i] + _SWAP[plate[i]] + plate[i + 1:]


def batches(total: int, camera_ids: list[int]) -> Iterator[list[NewRead]]:
    rng = np.random.default_rng(20261127)
    prng = random.Random(7)
    commuters = max(1, int(total * 0.005))
    tail = max(1, int(total * 0.3))
    pool = plate_strings(commuters + tail, rng)
    states = np.array(["AZ" if s[0].isalpha() else "CA" for s in pool])
    done = 0
    while done < total:
        n = min(BATCH, total - done)
        is_c = rng.random(n) < 0.35
        idx = np.where(is_c, rng.integers(0, commuters, n),
                       commuters + (tail * rng.random(n) ** 1.5).astype(np.int64))
        idx = np.minimum(idx, len(pool) - 1)
        times = T_END - SPAN + ((np.arange(done, done + n) * SPAN) // total) \
            + rng.integers(0, 60, n)
        cams = rng.choice(camera_ids, n)
        speed = rng.normal(38, 9, n).round(1)
        conf = rng.uniform(0.55, 1.0, n).round(3)
        make = rng.integers(0, len(MAKES), n)
        color = rng.integers(0, len(COLORS), n)
        body = rng.integers(0, len(BODIES), n)
        cand = rng.random(n) < 0.05
        out = []
        for j in range(n):
            p = str(pool[idx[j]])
            out.append(NewRead(
                plate=p, recorded_at=int(times[j]), camera_id=int(cams[j]),
                state=str(states[idx[j]]), direction="NSEW"[j % 4], make=MAKES[make[j]],
                color=COLORS[color[j]], body_type=BODIES[body[j]], speed=float(speed[j]),
                confidence=float(conf[j]),
                candidates=((look_alike(p, prng), 0.4),) if cand[j] else (),
            ))
        yield out
        done += n


def setup_store(store: Store, cameras: int) -> list[int]:
    repo = CameraRepo(store)
    ids = [repo.add(Camera(None, f"CAM-{i:02d}", f"Carson location {i}")) for i in range(cameras)]
    acct = Account(None, USER, "Bench Analyst", "LASD Carson Station", badge_number="1",
                   sworn=True, roles=frozenset({Role.ANALYST}))
    now_ms = int(time.time() * 1000)
    with store.transaction():
        added = AccountRepo(store).add(acct, passwords.hash_password(PASSWORD), now_ms)
        training = TrainingRepo(store)  # a trained analyst (issue 17), confirmed for the bench
        att = training.add(added.id or 0, now_ms, "bench", added.id or 0, now_ms)
        training.confirm(att.id, added.id or 0, now_ms)
    return ids


@dataclass
class Built:
    enc: Path
    key: bytes
    plain: Path


# ALPR_BUILD_SNAPSHOTS=50000000[,…]: while building a larger encrypted store, keep a copy of
# it as it stands after that many reads (the 50M store of issue 20's insert figure, on the
# way to 100M), in <cache>/snapshots/<reads>/ with its key.
SNAPSHOTS = {int(x) for x in os.environ.get("ALPR_BUILD_SNAPSHOTS", "").split(",") if x}


def snapshot(store: Store, built: Built, n: int) -> None:
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    where = CACHE / "snapshots" / str(n)
    where.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built.enc, where / "enc.alprdb")
    os.chmod(where / "enc.alprdb", 0o600)
    (where / "enc.key").write_text(built.key.hex())
    print(f"  snapshot of {n:,} reads in {where}", flush=True)


def format_dir() -> str:
    """The cache folder of this tree's store format: ps16384 for the stores of trees before
    issue 20's formats, ps4096-hmac_sha256 after (a store opens only in its own format)."""
    fmt = getattr(dbmod, "STORE_FORMAT", None)
    if fmt is None:
        return f"ps{dbmod.CIPHER_PAGE_SIZE}"
    return f"ps{fmt.page_size}-{fmt.hmac.lower()}"


def build(total: int, only: str | None = None) -> Built:
    """The cached stores for ``total`` reads, built when missing. ``only`` ("enc" or
    "plain") builds just one of the twins, so two processes can build them side by side."""
    where = CACHE / DATA_VERSION / format_dir() / str(total)
    built = Built(where / "enc.alprdb", b"", where / "plain.sqlite")
    key_file = where / "enc.key"
    where.mkdir(parents=True, exist_ok=True)
    if not key_file.exists() and only != "plain":  # the plain twin never writes the key
        key_file.write_text(secrets.token_bytes(32).hex())
    built.key = b""
    if key_file.exists():
        built.key = bytes.fromhex(key_file.read_text())
    for kind in ("enc", "plain"):
        if only not in (None, kind) or (where / f"done-{kind}").exists():
            continue
        path = built.enc if kind == "enc" else built.plain
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        store = create_store(path, built.key) if kind == "enc" \
            else dbmod._create_plain_store_for_benchmark(path)
        cams = setup_store(store, 40)
        t0 = time.perf_counter()
        n = 0
        group = BIG_GROUP if total >= BIG_STORE else 1
        if group > 1:
            store.execute(f"PRAGMA cache_size = -{BIG_CACHE_MIB * 1024}")
        repo = ReadRepo(store)
        pending: list[NewRead] = []
        for i, batch in enumerate(batches(total, cams), 1):
            pending.extend(batch)
            if i % group and len(pending) + n < total:
                continue
            repo.insert_many(pending)
            n += len(pending)
            pending = []
            if n in SNAPSHOTS and kind == "enc":
                snapshot(store, built, n)
            if n % 1_000_000 < BATCH * group:
                rate = n / (time.perf_counter() - t0)
                print(f"  {kind}: {n:,} reads ({rate:,.0f}/s, "
                      f"{time.perf_counter() - t0:,.0f} s)", flush=True)
        store.execute("PRAGMA optimize")
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        (where / f"done-{kind}").write_text(json.dumps(
            {"reads": total, "seconds": time.perf_counter() - t0, "schema": schema_hash()}))
    return built


# -- measuring -----------------------------------------------------------------------------------


def post_recent(store: Store, label: str) -> None:
    """Bring the recent reads' trigram postings up to date, as the program does after each
    import (storage/read_grams.py): a store built or imported into since is searched the
    slower way until then. Prints what it did, if anything."""
    from alpr_desktop.storage.read_grams import ReadGrams

    grams = ReadGrams(store)
    if not hasattr(grams, "ready") or grams.ready() is not None:
        return
    t, c = time.perf_counter(), time.process_time()
    n = grams.run(give_way=0)
    print(f"  {label}: recent reads posted for search, {n:,} in {time.perf_counter() - t:.1f} s "
          f"(CPU {time.process_time() - c:.1f} s)", flush=True)


def open_plain(path: Path) -> Store:
    return dbmod._open(path, b"", dbmod.DEFAULT_BUSY_TIMEOUT_MS, plain=True)


def signed_in(store: Store) -> AccessContext:
    auth = AuthService(store)
    ctx = auth.context(auth.sign_in(USER, PASSWORD))
    PurposeService(store).declare(ctx, PurposeInput(
        "criminal_investigation", "Vehicle theft", "123-45678-2026-001",
        "Benchmark: a silver sedan stolen from the Carson Mall lot on Avalon Blvd at 23:10; "
        "identifying the suspect vehicle and its direction of travel.", True,
    ))
    return auth.context(ctx.session)


def sample_plates(store: Store, k: int, seed: int) -> list[str]:
    """Plates with reads: half regulars (many reads), half from the tail."""
    rng = random.Random(seed)
    top = store.query("SELECT max(id) FROM plates")[0][0]
    out: list[str] = []
    while len(out) < k:
        pid = rng.randint(1, top)
        row = store.query_one(
            "SELECT p.plate_norm FROM plates p WHERE p.id = ? AND EXISTS "
            "(SELECT 1 FROM reads r WHERE r.plate_id = p.id)", (pid,))
        if row:
            out.append(row[0])
    return out


def queries(plates: list[str], seed: int) -> dict[str, list[SearchQuery]]:
    rng = random.Random(seed)
    f = Filters()
    # The figures' own examples: a plate start ("7AB*") and a middle run ("*B12*").
    return {
        "exact": [SearchQuery(p, Mode.EXACT, f) for p in plates],
        "wildcard": [SearchQuery(p[:3] + "*", Mode.WILDCARD, f) for p in plates],
        "substring": [SearchQuery(p[2:5], Mode.SUBSTRING, f) for p in plates],
        "fuzzy": [SearchQuery(look_alike(p, rng), Mode.FUZZY, f) for p in plates],
        "filtered": [
            SearchQuery(p[:3] + "*", Mode.WILDCARD,
                        Filters(preset=TimePreset.LAST_90_DAYS, colors=("WHITE", "SILVER"),
                                min_confidence=0.7))
            for p in plates
        ],
    }


def p50(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def measure_engine(store: Store, qs: dict[str, list[SearchQuery]]) -> dict[str, float]:
    """p50 ms per kind through SearchService (the gate, the log write and commit included)."""
    svc = SearchService(store)
    ctx = signed_in(store)
    out: dict[str, float] = {}
    nxt: list[float] = []
    for kind, items in qs.items():
        times = []
        for q in items:
            ms, page = timed(lambda q=q: svc.search(ctx, q))
            times.append(ms)
            if page.next_cursor and len(nxt) < 200:  # type: ignore[attr-defined]
                ms2, _ = timed(lambda q=q, c=page.next_cursor: svc.search(ctx, q, c))  # type: ignore[attr-defined]
                nxt.append(ms2)
        out[kind] = p50(times)
    out["next page"] = p50(nxt)
    # Deep paging on a broad pattern: pages 1, 2, ... 25; the last five against the first.
    deep = SearchQuery(qs["exact"][0].text[:2] + "*", Mode.WILDCARD, Filters(), page_size=100)
    cur = None
    per_page = []
    for _ in range(25):
        ms, page = timed(lambda c=cur: svc.search(ctx, deep, c))
        per_page.append(ms)
        cur = page.next_cursor  # type: ignore[attr-defined]
        if cur is None:
            break
    out["deep page 1"] = per_page[0]
    out["deep page 20-25"] = p50(per_page[19:]) if len(per_page) > 19 else float("nan")
    return out


_BASE_COLS = ("r.id, r.plate, r.state, r.recorded_at, r.camera_id, r.direction, r.make, "
              "r.model, r.color, r.body_type, r.speed, r.confidence, r.candidates")


def measure_baseline(store: Store, qs: dict[str, list[SearchQuery]]) -> dict[str, float]:
    """The plain way on the unencrypted twin: plate index for exact, LIKE over reads."""
    out: dict[str, float] = {}
    exact_sql = (f"SELECT {_BASE_COLS} FROM reads r WHERE r.plate_id = "
                 "(SELECT id FROM plates WHERE plate_norm = ?) "
                 "ORDER BY r.recorded_at DESC, r.id DESC LIMIT 200")
    like_sql = (f"SELECT {_BASE_COLS} FROM reads r WHERE r.plate LIKE ? "
                "ORDER BY r.recorded_at DESC, r.id DESC LIMIT 200")
    out["exact"] = p50([timed(lambda q=q: store.query(exact_sql, (q.text,)))[0]
                        for q in qs["exact"]])
    n = min(len(qs["wildcard"]), 5)  # each is a full scan: five are plenty for a median
    out["wildcard"] = p50([timed(lambda q=q: store.query(like_sql, (q.pattern().like(),)))[0]
                           for q in qs["wildcard"][:n]])
    out["substring"] = p50([timed(lambda q=q: store.query(like_sql, (q.pattern().like(),)))[0]
                            for q in qs["substring"][:n]])
    return out


def run_size(total: int, nq: int) -> dict[str, dict[str, float]]:
    print(f"== {total:,} reads", flush=True)
    t = time.perf_counter()
    b = build(total)
    print(f"  store ready in {time.perf_counter() - t:.0f} s; "
          f"{b.enc.stat().st_size / 1e9:.2f} GB encrypted", flush=True)
    enc = open_store(b.enc, b.key)
    plain = open_plain(b.plain)
    post_recent(enc, "encrypted")
    post_recent(plain, "plain")
    try:
        plates = sample_plates(enc, nq, seed=total)
        qs = queries(plates, seed=total)
        distinct = enc.query_one("SELECT max(id) FROM plates")[0]
        print(f"  {distinct:,} distinct plates; {nq} queries per kind", flush=True)
        results = {
            "encrypted": measure_engine(enc, qs),
            "plain (same engine)": measure_engine(plain, qs),
            "plain LIKE baseline": measure_baseline(plain, qs),
        }
    finally:
        enc.close()
        plain.close()
    return results


def print_table(all_results: dict[int, dict[str, dict[str, float]]]) -> None:
    kinds = ["exact", "wildcard", "substring", "fuzzy", "filtered", "next page",
             "deep page 1", "deep page 20-25"]
    for total, res in all_results.items():
        print(f"\n{total:,} reads — p50 ms")
        print(f"{'query':<18}{'encrypted':>11}{'plain eng.':>12}{'plain LIKE':>12}"
              f"{'enc/LIKE':>10}")
        for k in kinds:
            e = res["encrypted"].get(k, float("nan"))
            p = res["plain (same engine)"].get(k, float("nan"))
            b = res["plain LIKE baseline"].get(k, float("nan"))
            ratio = f"{e / b:.3f}" if b == b else ""
            bs = f"{b:.1f}" if b == b else "-"
            print(f"{k:<18}{e:>11.1f}{p:>12.1f}{bs:>12}{ratio:>10}")
    print(json.dumps({str(k): v for k, v in all_results.items()}))


def stall_probe(total: int) -> None:
    """Max gap of a 10 ms QTimer on the GUI thread while searches run on a worker."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    from alpr_desktop.gui.models.read_results_model import ReadResultsModel
    from alpr_desktop.gui.workers import run_task

    b = build(total)
    app = QApplication.instance() or QApplication([])
    enc = open_store(b.enc, b.key)
    ctx = signed_in(enc)
    plates = sample_plates(enc, 8, seed=total)
    qs = [q for items in queries(plates, seed=total).values() for q in items[:8]]
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    pending = list(qs)
    state = {"running": False, "done": 0}

    def work(q: SearchQuery) -> object:
        s = enc.reopen()
        try:
            svc = SearchService(s)
            page = svc.search(ctx, q)
            if page.next_cursor:
                svc.search(ctx, q, page.next_cursor)
            return page
        finally:
            s.close()

    starts: list[float] = []
    model = ReadResultsModel()
    table = QTableView()
    table.setModel(model)
    table.resize(1000, 600)
    table.show()

    def next_one(page: object = None) -> None:
        if page is not None:  # the GUI-thread part of a search: rows into the table
            t = time.perf_counter()
            model.start(page, None)  # type: ignore[arg-type]
            starts.append((time.perf_counter() - t) * 1000)
        state["done"] += 1
        if not pending:
            app.quit()
            return
        run_task(work, pending.pop(), on_result=next_one,
                 on_error=lambda e: (print(e), next_one()))

    QTimer.singleShot(0, next_one)
    app.exec()
    timer.stop()
    enc.close()
    print(f"stall probe on {total:,} reads: {len(qs)} searches (+ next page) on a worker; "
          f"timer ticks {len(gaps)}, max gap {max(gaps):.0f} ms, "
          f"p99 gap {sorted(gaps)[int(len(gaps) * 0.99)]:.0f} ms; "
          f"model.start max {max(starts, default=0):.1f} ms")
    print("  gaps over 50 ms:", [round(g) for g in gaps if g > 50])


SORTS = ((SortColumn.TIME, False), (SortColumn.PLATE, False), (SortColumn.CAMERA, False),
         (SortColumn.CONFIDENCE, True), (SortColumn.MATCH, True))


def measure_sorted(total: int, nq: int) -> None:
    """First and next pages sorted by a column (the engine's keyset over all results) next to
    the unsorted figures, on the encrypted store only."""
    b = build(total, "enc")
    enc = open_store(b.enc, b.key)
    try:
        qs = queries(sample_plates(enc, nq, seed=total), seed=total)
        del qs["exact"], qs["filtered"]
        base = measure_engine(enc, queries(sample_plates(enc, nq, seed=total), seed=total))
        svc = SearchService(enc)
        ctx = signed_in(enc)
        print(f"== {total:,} reads, p50 ms of {nq} queries (unsorted, as in the table):")
        for k, v in base.items():
            print(f"  {k:<18} {v:7.1f}")
        deep_plates = qs["wildcard"][0].text[:2] + "*"
        print(f"== sorted first page / next page (p50 ms); broad pattern {deep_plates!r}")
        for column, desc in SORTS:
            cells = []
            for kind, items in qs.items():
                first, nxt = [], []
                for q in items:
                    sq = SearchQuery(q.text, q.mode, q.filters, q.page_size, column, desc)
                    ms, page = timed(lambda sq=sq: svc.search(ctx, sq))
                    first.append(ms)
                    if page.next_cursor:  # type: ignore[attr-defined]
                        ms2, _ = timed(lambda sq=sq, c=page.next_cursor: svc.search(ctx, sq, c))  # type: ignore[attr-defined]
                        nxt.append(ms2)
                cells.append(f"{kind} {p50(first):.1f}/{p50(nxt):.1f}")
            broad = SearchQuery(deep_plates, Mode.WILDCARD, Filters(), 100, column, desc)
            runs = []
            for _ in range(3):  # the first finds the rows' pages cold, the next ones cached
                ms, page = timed(lambda b=broad: svc.search(ctx, b))
                runs.append(ms)
            ms2 = timed(lambda b=broad, c=page.next_cursor: svc.search(ctx, b, c))[0] \
                if page.next_cursor else float("nan")  # type: ignore[attr-defined]
            label = f"{column.value}{' desc' if desc else ''}"
            print(f"  {label:<16} " + "  ".join(cells)
                  + f"  broad cold {runs[0]:.1f}, cached {p50(runs[1:]):.1f}/{ms2:.1f} "
                  f"({page.plates_matched:,} plates)",  # type: ignore[attr-defined]
                  flush=True)
    finally:
        enc.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reads", type=int, action="append")
    ap.add_argument("--small", action="store_true", help="one 50,000-read store (CI)")
    ap.add_argument("--queries", type=int, default=24)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--only", choices=("enc", "plain"), help="with --build-only: one twin")
    ap.add_argument("--stall", action="store_true", help="GUI event-loop stall probe")
    ap.add_argument("--sorted", action="store_true",
                    help="pages sorted by each column (encrypted store only)")
    args = ap.parse_args(argv)
    sizes = [50_000] if args.small else (args.reads or [1_000_000, 3_000_000, 10_000_000])
    if args.stall:
        stall_probe(sizes[-1])
        return 0
    if args.sorted:
        for n in sizes:
            measure_sorted(n, args.queries)
        return 0
    if args.build_only:
        for n in sizes:
            t = time.perf_counter()
            build(n, args.only)
            print(f"{n:,}: built in {time.perf_counter() - t:.0f} s", flush=True)
        return 0
    results = {n: run_size(n, args.queries) for n in sizes}
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
