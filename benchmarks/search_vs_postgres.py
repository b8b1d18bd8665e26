"""Plate search, embedded store against PostgreSQL, on the same reads in one run (issue 20).

Builds the same reads into both engines and asks both the same questions, the gate and a
durable access-log append included on both sides:

* the embedded engine: the encrypted SQLCipher store built through ``ReadRepo.insert_many``
  (the program's bulk insert path) and its unencrypted twin, cached by search_bench.py;
  every query goes through ``SearchService.search`` (signed-in analyst, declared purpose, the
  gate, the first page as the search view asks for it: without its counts where the service
  can leave them for later (issue 20), as the PostgreSQL side returns the page only; the log
  entry in the same transaction, synchronous = FULL);
* PostgreSQL 15, a throwaway cluster this script starts itself (initdb into a temp dir, a
  unix socket only, removed at exit; as the ``postgres`` user when run as root, since initdb
  refuses root) with the design a station's IT would build: one ``reads`` table, a btree on
  ``(plate, recorded_at)``, a pg_trgm GIN index on ``plate`` (wildcard and substring), and a
  distinct-plates table with its OCR look-alike key under a pg_trgm GIN index, answered with
  ``levenshtein`` from fuzzystrmatch (fuzzy). Each query is one transaction: the gate (the
  session's user and active purpose, two indexed look-ups), the page of 100 rows (newest
  first), and a hash-chained access-log insert, committed with synchronous_commit = on and
  fsync on.

    .venv/bin/python benchmarks/search_vs_postgres.py                  # 1,000,000 reads
    .venv/bin/python benchmarks/search_vs_postgres.py --reads 10000000
    .venv/bin/python benchmarks/search_vs_postgres.py --small          # CI size (50,000)
    .venv/bin/python benchmarks/search_vs_postgres.py --embedded-only  # no PostgreSQL
    .venv/bin/python benchmarks/search_vs_postgres.py --reads 100000000 --no-plain --keep-pg \
        --alone --runs 3    # each engine with the memory to itself, as a machine runs one
    .venv/bin/python benchmarks/search_vs_postgres.py --compare-tree ../main --kinds \
        wildcard,substring,wildcard2,wildcard_24h    # main's engine against this one's

Queries of one kind run interleaved (encrypted, plain, PostgreSQL, next plate), so machine
noise hits the engines alike; every figure line carries the load average when it was taken.
Prints p50 and p95 in ms per kind and engine, the ratios embedded ÷ PostgreSQL and
encrypted ÷ plain, and a JSON line with everything.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import json
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ALPR_TREE: measure another checkout's engine with this script (--compare-tree runs it so).
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, os.environ.get("ALPR_TREE") or str(Path(__file__).resolve().parent.parent))
import alpr_desktop  # noqa: F401,I001  (from that tree, before search_bench puts this one first)

import search_bench as sb  # the cached stores and the data generator
from search_bench import post_recent

from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.plates import ocr_key
from alpr_desktop.core.search import Filters, SearchQuery
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage.db import Store, open_store

KINDS = ("exact", "wildcard", "substring", "fuzzy")
# Broader questions for the embedded engine only (--kinds; no PostgreSQL side): a
# two-character plate start (~12,000 plates at 10M), and a three-character start or middle
# run over the store's last day or week (what a time preset asks of a live store).
EXTRA_KINDS = ("wildcard2", "wildcard_24h", "substring_7d")
KINDS_ALL = KINDS + EXTRA_KINDS
PAGE = 100


def load() -> float:
    return os.getloadavg()[0]


# -- the PostgreSQL side -------------------------------------------------------------------


def pg_bin(name: str) -> str:
    """A PostgreSQL server program: on PATH, else Debian's versioned directory."""
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return str(d / name)
    raise SystemExit(f"PostgreSQL's {name} was not found (install postgresql-15).")


class Cluster:
    """A throwaway PostgreSQL cluster on a unix socket in a temp dir, stopped and removed at
    exit. As root it runs as the ``postgres`` account (initdb refuses root)."""

    def __init__(self, shared_buffers: str = "512MB", keep: Path | None = None) -> None:
        # Under /tmp: the postgres account must reach it, and a unix socket path is short.
        self.dir = Path(tempfile.mkdtemp(prefix="alpr-pg-",
                                         dir="/tmp" if Path("/tmp").is_dir() else None))
        # keep: a data directory kept between runs (--keep-pg), so a 100M cluster is built once
        self.keep = keep
        self.data = keep / "data" if keep else self.dir / "data"
        self.sock = self.dir / "sock"
        self.sock.mkdir()
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            mine = [self.dir, self.sock]
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                mine.append(keep)
            for p in mine:
                os.chown(p, pw.pw_uid, pw.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            if self.data.exists():  # a build that did not finish
                shutil.rmtree(self.data)
            self._run([pg_bin("initdb"), "-D", str(self.data), "-U", "bench", "--locale=C",
                       "-E", "UTF8", "-A", "trust", "--no-sync"])
        opts = (f"-k {self.sock} -c listen_addresses='' -c shared_buffers={shared_buffers} "
                "-c work_mem=16MB -c maintenance_work_mem=512MB -c effective_cache_size=4GB "
                "-c fsync=on "
                "-c synchronous_commit=on -c max_wal_size=4GB -c random_page_cost=1.1")
        atexit.register(self.stop)
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                   str(self.dir / "log"), "-w", "start"])

    def _run(self, cmd: list[str]) -> None:
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir, check=False)
        if out.returncode:
            raise SystemExit(f"{cmd[0]} failed: {out.stderr.strip() or out.stdout.strip()}")

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(host=str(self.sock), user="bench", dbname="postgres",
                               autocommit=True)

    def stop(self) -> None:
        if not self.dir.exists():  # stopped already (the run's end, then atexit)
            return
        if self.data.exists():
            with contextlib.suppress(SystemExit):
                self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-m",
                           "fast" if self.keep else "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def built(self) -> dict[str, Any] | None:
        """What a kept cluster was built with (None: not kept, or not finished)."""
        done = self.keep / "done.json" if self.keep else None
        return json.loads(done.read_text()) if done and done.exists() else None

    def mark_built(self, info: dict[str, Any]) -> None:
        if self.keep:
            (self.keep / "done.json").write_text(json.dumps(info))


PG_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE TABLE reads (
    id bigint PRIMARY KEY, plate text NOT NULL, state text, recorded_at bigint NOT NULL,
    camera_id int, direction text, make text, model text, color text, body_type text,
    speed real, confidence real, candidates text);
CREATE TABLE plates (plate text PRIMARY KEY, ocr_key text NOT NULL);
CREATE TABLE users (id int PRIMARY KEY, username text, agency text, active boolean);
CREATE TABLE purposes (id int PRIMARY KEY, user_id int, case_number text, narrative text,
    expires_at bigint);
CREATE INDEX purposes_user ON purposes (user_id, expires_at);
CREATE TABLE access_log (seq bigserial PRIMARY KEY, ts_ms bigint, user_id int,
    purpose_id int, event text, query jsonb, result_count int, prev_hash bytea, hash bytea);
"""
PG_INDEXES = """
CREATE INDEX reads_plate_time ON reads (plate, recorded_at);
CREATE INDEX reads_plate_trgm ON reads USING gin (plate gin_trgm_ops);
INSERT INTO plates SELECT DISTINCT plate, '' FROM reads;
"""
PG_COLS = ("id, plate, state, recorded_at, camera_id, direction, make, model, color, "
           "body_type, speed, confidence, candidates")


def pg_build(conn: Any, total: int, cameras: list[int]) -> float:
    """The same reads as the embedded stores (search_bench's generator, same seed)."""
    t = time.perf_counter()
    conn.execute(PG_SCHEMA)
    rid = 0
    with conn.cursor() as cur:
        for batch in sb.batches(total, cameras):
            with cur.copy(f"COPY reads ({PG_COLS}) FROM STDIN") as cp:
                for r in batch:
                    rid += 1
                    cand = json.dumps([c for c, _ in r.candidates]) if r.candidates else None
                    cp.write_row((rid, r.plate, r.state, r.recorded_at, r.camera_id,
                                  r.direction, r.make, r.model, r.color, r.body_type, r.speed,
                                  r.confidence, cand))
    conn.execute(PG_INDEXES)
    keys = [(p, ocr_key(p)) for (p,) in conn.execute("SELECT plate FROM plates").fetchall()]
    conn.execute("TRUNCATE plates")
    with conn.cursor() as cur, cur.copy("COPY plates (plate, ocr_key) FROM STDIN") as cp:
        for row in keys:
            cp.write_row(row)
    conn.execute("CREATE INDEX plates_key_trgm ON plates USING gin (ocr_key gin_trgm_ops)")
    conn.execute("INSERT INTO users VALUES (1, 'bench.analyst', 'LASD Carson Station', true)")
    conn.execute("INSERT INTO purposes VALUES (1, 1, '123-45678-2026-001', 'Benchmark', "
                 "9999999999999)")
    conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - t


class PgSearch:
    """One gated, logged search per call, as a server-backed workstation would run it."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        conn.prepare_threshold = 0  # every statement prepared on first use

    def search(self, kind: str, text: str) -> list[tuple]:
        with self.conn.transaction():
            gate = self.conn.execute(
                "SELECT u.id, p.id FROM users u JOIN purposes p ON p.user_id = u.id "
                "WHERE u.id = %s AND u.active AND p.expires_at > %s "
                "ORDER BY p.expires_at DESC LIMIT 1", (1, int(time.time() * 1000))).fetchone()
            if gate is None:
                raise RuntimeError("refused")
            rows = self._page(kind, text)
            last = self.conn.execute(
                "SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1 FOR UPDATE").fetchone()
            prev = last[0] if last else b"\0" * 32
            q = json.dumps({"pattern": text, "mode": kind, "page_size": PAGE})
            ts = int(time.time() * 1000)
            h = hashlib.sha256(prev + f"{ts}|1|1|search|{q}|{len(rows)}".encode()).digest()
            self.conn.execute(
                "INSERT INTO access_log (ts_ms, user_id, purpose_id, event, query, "
                "result_count, prev_hash, hash) VALUES (%s, 1, 1, 'search', %s, %s, %s, %s)",
                (ts, q, len(rows), prev, h))
        return rows

    def _page(self, kind: str, text: str) -> list[tuple]:
        order = f" ORDER BY recorded_at DESC, id DESC LIMIT {PAGE + 1}"
        if kind == "exact":
            sql, arg = f"SELECT {PG_COLS} FROM reads WHERE plate = %s" + order, text
        elif kind == "wildcard":
            sql, arg = f"SELECT {PG_COLS} FROM reads WHERE plate LIKE %s" + order, \
                text.replace("*", "%").replace("?", "_")
        elif kind == "substring":
            sql, arg = f"SELECT {PG_COLS} FROM reads WHERE plate LIKE %s" + order, \
                f"%{text}%"
        else:  # fuzzy: look-alikes and one edit, on the distinct plates, then their reads
            key = ocr_key(text)
            plates = [r[0] for r in self.conn.execute(
                "SELECT plate FROM plates WHERE ocr_key %% %s "
                "AND levenshtein(ocr_key, %s) <= 1", (key, key)).fetchall()]
            sql, arg = f"SELECT {PG_COLS} FROM reads WHERE plate = ANY(%s)" + order, plates
        return list(self.conn.execute(sql, (arg,)).fetchall())


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Series:
    ms: list[float] = field(default_factory=list)  # wall
    cpu: list[float] = field(default_factory=list)  # CPU of every process doing the work
    loads: list[float] = field(default_factory=list)

    def add(self, ms: float, cpu: float) -> None:
        self.ms.append(ms)
        self.cpu.append(cpu)
        self.loads.append(load())

    @property
    def p50(self) -> float:
        return statistics.median(self.ms) if self.ms else float("nan")

    @property
    def p95(self) -> float:
        if not self.ms:
            return float("nan")
        s = sorted(self.ms)
        return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]

    @property
    def cpu_mean(self) -> float:
        """Mean, not median: a server backend's CPU clock ticks in 10 ms steps."""
        return statistics.fmean(self.cpu) if self.cpu else float("nan")

    @property
    def load(self) -> str:
        return f"{min(self.loads):.1f}–{max(self.loads):.1f}" if self.loads else "-"


def embedded_queries(plates: Sequence[str], seed: int) -> dict[str, list[SearchQuery]]:
    qs = sb.queries(list(plates), seed)
    day = sb.T_END - 86_400
    week = sb.T_END - 7 * 86_400
    qs["wildcard2"] = [SearchQuery(p[:2] + "*", Mode.WILDCARD, Filters()) for p in plates]
    # Other characters of the same plates than wildcard's and substring's, so these patterns'
    # plates are not the ones those kinds just read into the cache.
    qs["wildcard_24h"] = [SearchQuery(p[0] + p[2:4] + "*", Mode.WILDCARD,
                                      Filters(since=day, until=sb.T_END)) for p in plates]
    qs["substring_7d"] = [SearchQuery(p[3:6], Mode.SUBSTRING,
                                      Filters(since=week, until=sb.T_END)) for p in plates]
    return {k: qs[k] for k in KINDS}


def _proc_cpu_ms(pid: int) -> float:
    """CPU time of another process (a PostgreSQL backend), in ms: the scheduler's own count
    in nanoseconds (/proc/PID/schedstat), else user + system ticks from /proc/PID/stat
    (10 ms apiece: too coarse for one query)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


@dataclass
class Engine:
    name: str
    run: Callable[[str, SearchQuery], object]
    server_pid: int | None = None  # a server process whose CPU counts too


def signed_in(store: Store) -> Any:
    """search_bench's analyst, signed in with a purpose. A store cached by an older version
    (before training was required, issue 17) gets the confirmed training its builder
    records today."""
    from alpr_desktop.storage.training import TrainingRepo

    uid = int(store.scalar("SELECT id FROM users WHERE username = ?", (sb.USER,)))
    training = TrainingRepo(store)
    if not training.for_user(uid):
        now_ms = int(time.time() * 1000)
        with store.transaction():
            att = training.add(uid, now_ms, "bench", uid, now_ms)
            training.confirm(att.id, uid, now_ms)
    return sb.signed_in(store)


def view_search(store: Store) -> Callable[[SearchQuery], object]:
    """A first page as the search view asks for it, on a service set up as the view's kept
    connection is (where this tree has those steps)."""
    svc = SearchService(store)
    defer = getattr(svc, "defer_checkpoints", None)  # absent in a tree before issue 20 step 5
    if defer is not None:
        defer()  # as the search view's kept connection does: no WAL checkpoint in a commit
    cached = getattr(svc, "keep_pages_cached", None)  # absent before session 7
    if cached is not None:
        cached()  # and its page cache (SEARCH_CACHE_MIB)
    warm = getattr(svc, "warm_pages", None)  # absent before session 11
    if warm is not None:
        t = time.perf_counter()
        warm()  # the view's first job on its connection: the upper index pages read in
        print(f"  search connection warmed in {(time.perf_counter() - t) * 1000:.0f} ms",
              flush=True)
    ctx = signed_in(store)
    if _counts_later(svc):
        return lambda q: svc.search(ctx, q, count=False)
    return lambda q: svc.search(ctx, q)


def embedded_engine(name: str, store: Store) -> Engine:
    search = view_search(store)
    return Engine(name, lambda _kind, q: search(q))


def _counts_later(svc: SearchService) -> bool:
    """Whether this tree's search can leave the first page's counts for later (issue 20:
    the search view asks so); a tree before it (--compare-tree) counts on the first page."""
    import inspect

    return "count" in inspect.signature(svc.search).parameters


def measure(engines: list[Engine], qs: dict[str, list[SearchQuery]], warm: int
            ) -> dict[str, dict[str, Series]]:
    """Each query through every engine in turn; the first ``warm`` of a kind untimed."""
    out: dict[str, dict[str, Series]] = {e.name: {k: Series() for k in KINDS} for e in engines}
    for kind in KINDS:
        for i, q in enumerate(qs[kind]):
            for e in engines:
                s0 = _proc_cpu_ms(e.server_pid) if e.server_pid else 0.0
                c0, t0 = time.process_time(), time.perf_counter()
                e.run(kind, q)
                ms = (time.perf_counter() - t0) * 1000
                cpu = (time.process_time() - c0) * 1000
                if e.server_pid:
                    cpu += _proc_cpu_ms(e.server_pid) - s0
                if i >= warm:
                    out[e.name][kind].add(ms, cpu)
    return out


def report(total: int, res: dict[str, dict[str, Series]]) -> None:
    names = list(res)
    print(f"\n{total:,} reads — ms per first page (gate + page + durable log): wall p50 / "
          "p95 / mean CPU; ratios of p50 (of mean CPU in brackets); load average over the "
          "kind's queries")
    ratios = []
    if "postgres" in res:
        ratios += [(n, "postgres") for n in names if n != "postgres"]
    if "encrypted" in res and "plain" in res:
        ratios.append(("encrypted", "plain"))
    head = f"{'query':<11}" + "".join(f"{n:>26}" for n in names) \
        + "".join(f"{a[:3]}÷{b[:4]}".rjust(16) for a, b in ratios) + "   load"
    print(head)
    for k in KINDS:
        line = f"{k:<11}"
        for n in names:
            s = res[n][k]
            line += f"{s.p50:>10.2f} /{s.p95:>6.1f} /{s.cpu_mean:>6.2f}"
        for a, b in ratios:
            ra, rb = res[a][k], res[b][k]
            line += f"{ra.p50 / rb.p50:>8.2f} ({ra.cpu_mean / rb.cpu_mean:.2f})"
        loads = [x for n in names for x in res[n][k].loads]
        line += f"   {min(loads):.1f}–{max(loads):.1f}"
        print(line, flush=True)
    print(json.dumps({"reads": total, "load_now": load(), "results": {
        n: {k: {"p50": s.p50, "p95": s.p95, "cpu_mean": s.cpu_mean, "load": s.load,
                "n": len(s.ms), "max": max(s.ms, default=float("nan"))}
            for k, s in per.items()} for n, per in res.items()}}))


def pg_keep_dir(total: int) -> Path:
    """Where --keep-pg keeps a cluster: reachable by the postgres account, unlike /root."""
    return Path(os.environ.get("ALPR_PG_KEEP_DIR", "/var/tmp/alpr-pg-keep")) / \
        sb.DATA_VERSION / str(total)


def pg_ready(total: int, cams: list[int], keep: bool) -> tuple[Cluster, Any]:
    """A running cluster holding the reads: built now, or a kept one built earlier."""
    cluster = Cluster(keep=pg_keep_dir(total) if keep else None)
    conn = cluster.connect()
    built = cluster.built
    if built is not None and built.get("cameras") != cams:
        raise SystemExit(f"the kept cluster at {cluster.keep} was built for other cameras")
    if built is None:
        if keep:
            conn.execute("DROP TABLE IF EXISTS reads, plates, users, purposes, access_log")
        secs = pg_build(conn, total, cams)
        built = {"reads": total, "seconds": secs, "cameras": cams}
        cluster.mark_built(built)
    size = conn.execute("SELECT pg_database_size('postgres')").fetchone()[0]
    v = conn.info.server_version
    print(f"  PostgreSQL {v // 10000}.{v % 10000}: built in {built['seconds']:.0f} s, "
          f"{size / 1e9:.2f} GB (load {load():.1f})", flush=True)
    return cluster, conn


def read_through(paths: Sequence[Path], passes: int = 2) -> None:
    """Read every file, so the OS caches them (as far as memory allows): the figures then
    compare the engines' work, not which of their files a disk still had to deliver (a 10M
    store and its PostgreSQL copy fit in this machine's memory together). Twice: Linux
    evicts a page read once before one read again, so after a single pass the file read
    first (the encrypted store) was the first to lose pages to what a bigger store's runs had
    left in memory (session 12: fuzzy's encrypted ÷ plain 1.60 in such a run, 1.38–1.40
    after)."""
    files = _files(paths)
    took = []
    for _ in range(max(1, passes)):
        t, n = time.perf_counter(), 0
        for f in files:
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 24):
                    n += len(chunk)
        took.append(f"{time.perf_counter() - t:.0f}")
    print(f"  read {n / 1e9:.2f} GB of the engines' files into the OS cache in "
          f"{' + '.join(took)} s", flush=True)


def _files(paths: Sequence[Path]) -> list[Path]:
    return [f for p in paths for f in ([p] if p.is_file() else
                                       sorted(x for x in p.rglob("*") if x.is_file()))]


def evict(paths: Sequence[Path]) -> int:
    """Drop these files' pages from the OS cache (written back first), so another engine's
    run has the memory to itself; bytes the files hold. Needs only read access: the cluster
    runs as this user, or as ``postgres`` when this is root."""
    os.sync()
    n = 0
    for f in _files(paths):
        with contextlib.suppress(OSError):  # a file PostgreSQL removed meanwhile
            fd = os.open(f, os.O_RDONLY)
            try:
                n += os.fstat(fd).st_size
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return n


def measure_alone(engines: list[Engine], files: dict[str, list[Path]],
                  owns: dict[str, list[Path]], qs: dict[str, list[SearchQuery]], warm: int,
                  first: int) -> dict[str, dict[str, Series]]:
    """Each engine in turn with the OS cache to itself, as on a machine that runs it alone:
    every file the other engines ``owns`` dropped from it, the ``files`` it reads its data
    from read through, then all its queries. ``first``: which engine goes first (rotated
    from run to run, against drift)."""
    out: dict[str, dict[str, Series]] = {}
    order = engines[first % len(engines):] + engines[:first % len(engines)]
    for e in order:
        others = [f for name, fs in owns.items() if name != e.name for f in fs]
        gone = evict(others)
        print(f"  {e.name} alone: {gone / 1e9:.2f} GB of the others' files dropped from the "
              "OS cache", flush=True)
        read_through(files[e.name])
        out.update(measure([e], qs, warm))
    return {e.name: out[e.name] for e in engines}


def summarize(total: int, runs: list[dict[str, dict[str, Series]]]) -> None:
    """The issue's two ratios per kind over several runs, each run as a separate invocation
    would make it: every run's p50 ratio, their median, and in how many runs the figure was
    met (encrypted ≤ PostgreSQL; encrypted ≤ 1.5 × plain). On a noisy machine one run says
    little."""
    pairs = [(a, b, limit) for a, b, limit in (("encrypted", "postgres", 1.0),
                                               ("encrypted", "plain", 1.5))
             if all(a in r and b in r for r in runs)]
    if pairs:  # an embedded-only run has no ratio of its own
        print(f"\n{total:,} reads — {len(runs)} runs: p50 ratio per run (median; runs "
              "meeting the figure)")
    for a, b, limit in pairs:
        print(f"  {a} ÷ {b} (figure: ≤ {limit})")
        for k in KINDS:
            ratios = [r[a][k].p50 / r[b][k].p50 for r in runs]
            met = sum(x <= limit for x in ratios)
            print(f"    {k:<11}" + " ".join(f"{x:5.2f}" for x in ratios)
                  + f"   (median {statistics.median(ratios):.2f}; met in {met} of {len(runs)})",
                  flush=True)


def summarize_growth(by_size: dict[int, list[dict[str, dict[str, Series]]]]) -> None:
    """The figure across sizes: each larger store's encrypted p50, run by run, against the
    smallest store's median run (the issue: 100M at most 2x its 10M figure). Measured in one
    invocation, so both sizes see the same machine and the same way of warming."""
    sizes = sorted(by_size)
    base_n = sizes[0]
    base = {k: statistics.median(r["encrypted"][k].p50 for r in by_size[base_n])
            for k in KINDS}
    for n in sizes[1:]:
        print(f"\n{n:,} ÷ {base_n:,} reads, encrypted p50 per run ÷ the smaller store's "
              "median run (figure: ≤ 2.0)")
        for k in KINDS:
            ratios = [r["encrypted"][k].p50 / base[k] for r in by_size[n]]
            met = sum(x <= 2.0 for x in ratios)
            print(f"    {k:<11}" + " ".join(f"{x:5.2f}" for x in ratios)
                  + f"   ({base_n:,}: {base[k]:.2f} ms; met in {met} of {len(ratios)})",
                  flush=True)


def run(total: int, nq: int, warm: int, with_pg: bool, with_plain: bool,
        keep_pg: bool = False, warm_files: bool = False, alone: int | None = None
        ) -> dict[str, dict[str, Series]]:
    """One run. ``alone``: each engine with the OS cache to itself (measure_alone), this
    run's index choosing which goes first; otherwise the queries interleaved across the
    engines, their files sharing the memory."""
    print(f"== {total:,} reads (load {load():.1f})", flush=True)
    t = time.perf_counter()
    b = sb.build(total, None if with_plain else "enc")
    print(f"  embedded stores ready in {time.perf_counter() - t:.0f} s; "
          f"{b.enc.stat().st_size / 1e9:.2f} GB encrypted (load {load():.1f})", flush=True)
    stores: list[Store] = [open_store(b.enc, b.key)]
    if with_plain:
        stores.append(sb.open_plain(b.plain))
    # The postings caught up before the search connections warm: posting a day's reads
    # pushes the warmed pages out of the connection's cache, and the first run measured
    # that (fuzzy at 100M 2.19x its 10M figure that run, 1.76-1.90 in the next two).
    for name, s in zip(("encrypted", "plain"), stores, strict=False):
        post_recent(s, name)
    engines = [embedded_engine(name, s)
               for name, s in zip(("encrypted", "plain"), stores, strict=False)]
    cluster = None
    try:
        plates = sb.sample_plates(stores[0], nq + warm, seed=total)
        qs = embedded_queries(plates, seed=total)
        if with_pg:
            # The generator's cameras (an import into a kept store adds its own).
            cams = [r[0] for r in stores[0].query(
                "SELECT id FROM cameras WHERE name GLOB 'CAM-*' ORDER BY id")]
            cluster, conn = pg_ready(total, cams, keep_pg)
            pg = PgSearch(conn)
            engines.append(Engine("postgres", lambda kind, q: pg.search(kind, q.text),
                                  conn.info.backend_pid))
        # What each engine reads its data from: PostgreSQL's relations (base/, global/), not
        # its 4 GB of recycled WAL segments, which a read-through once read last, ahead of
        # the tables and indexes that the memory could have kept at 100M instead.
        files = {"encrypted": [b.enc, Path(f"{b.enc}-wal")], "plain": [b.plain],
                 "postgres": [cluster.data / "base", cluster.data / "global"]
                 if cluster is not None else []}
        if alone is not None:
            owns = {**files, "postgres": [cluster.data] if cluster is not None else []}
            res = measure_alone(engines, {e.name: files[e.name] for e in engines},
                                {e.name: owns[e.name] for e in engines}, qs, warm, alone)
        else:
            if warm_files:
                read_through([f for e in engines for f in files[e.name]])
            res = measure(engines, qs, warm)
        report(total, res)
    finally:
        for s in stores:
            s.close()
        if cluster is not None:
            cluster.stop()
    return res


# -- where the time goes (--profile) ---------------------------------------------------------


def _io(what: str) -> int:
    """Bytes this process has read ("rchar") or written ("wchar") through system calls
    (page cache hits included): over a query, read bytes divided by the page size are the
    pages SQLite read from the file and SQLCipher decrypted (pages found in SQLite's own
    cache cost neither)."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith(what + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Spans:
    """CPU time per part of a search, in ms, one entry per call."""

    parts: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, ms: float) -> None:
        self.parts.setdefault(name, []).append(ms)


def profile(store: Store, qs: dict[str, list[SearchQuery]], page_size: int) -> None:
    """Per kind, of a first page as the search view asks for it (its rows; the counts are
    the view's next call, profiled only where the page holds the whole result): the whole
    call (p50 wall, mean CPU) and the mean CPU of its parts (resolve, page, the log entry's
    INSERT), the CPU inside ``Store.query``, the pages read and the bytes written per
    query."""
    from alpr_desktop.storage import access_log, plate_search

    spans = Spans()
    sql_ms = [0.0]
    cls = plate_search.SqlCipherPlateSearch
    patched: list[tuple[object, str, object]] = []

    def wrap(owner: object, name: str, label: str) -> None:
        orig = getattr(owner, name)
        patched.append((owner, name, orig))

        def inner(*a: Any, **kw: Any) -> Any:
            t = time.process_time()
            try:
                return orig(*a, **kw)
            finally:
                spans.add(label, (time.process_time() - t) * 1000)

        setattr(owner, name, inner)

    for name, label in (("_resolve", "resolve"), ("_fetch", "page"), ("_count", "count"),
                        ("_plates_found", "plates found")):
        if hasattr(cls, name):
            wrap(cls, name, label)
    wrap(access_log.AccessLogRepo, "append", "log append")
    orig_query = type(store).query

    def query(self: Store, sql: str, params: Any = ()) -> list[tuple]:
        t = time.process_time()
        try:
            return orig_query(self, sql, params)
        finally:
            sql_ms[0] += (time.process_time() - t) * 1000

    type(store).query = query  # type: ignore[method-assign]
    search = view_search(store)  # the rows first; the count is the view's next call
    print(f"\nprofile, encrypted store, CPU ms per part, mean (load {load():.1f}); wall = "
          f"p50 of the whole call; in SQL = CPU inside Store.query; pages = "
          f"{page_size // 1024} KiB pages read from the file (decrypted), written = KiB "
          "written (the log's commit), per query")
    print(f"{'query':<11}{'wall':>8}{'CPU':>8}{'in SQL':>8}{'pages':>7}{'written':>9}  parts")
    try:
        for kind in KINDS:
            wall, cpu, in_sql, pages, written = [], [], [], [], []
            spans.parts.clear()
            for q in qs[kind]:
                sql_ms[0] = 0.0
                r0, w0 = _io("rchar"), _io("wchar")
                t, c = time.perf_counter(), time.process_time()
                search(q)
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                in_sql.append(sql_ms[0])
                pages.append((_io("rchar") - r0) / page_size)
                written.append((_io("wchar") - w0) / 1024)
            parts = "  ".join(f"{k} {statistics.fmean(v):.2f}" for k, v in spans.parts.items())
            print(f"{kind:<11}{statistics.median(wall):>8.2f}{statistics.fmean(cpu):>8.2f}"
                  f"{statistics.fmean(in_sql):>8.2f}{statistics.fmean(pages):>7.0f}"
                  f"{statistics.fmean(written):>9.0f}  {parts}  (load {load():.1f})",
                  flush=True)
    finally:
        for owner, name, orig in patched:
            setattr(owner, name, orig)
        type(store).query = orig_query  # type: ignore[method-assign]


def _store_per_tree(trees: dict[str, Path], total: int) -> dict[str, str]:
    """A copy of the cached store for each tree: a newer tree migrates its copy when it opens
    it, which the older one would then refuse. The store is built by the baseline's code
    (the oldest schema), in a child process."""
    base = sb.CACHE / sb.DATA_VERSION / sb.format_dir() / str(total)  # one format: both trees
    if not (base / "done-enc").exists():
        subprocess.run([sys.executable, __file__, "--reads", str(total), "--build-only"],
                       check=True, env={**os.environ, "ALPR_TREE": str(trees["baseline"])})
    dirs = {}
    for name in trees:
        root = sb.CACHE / "per-tree" / name.replace(" ", "-")
        copy = root / base.relative_to(sb.CACHE)
        if not (copy / "done-enc").exists():
            copy.mkdir(parents=True, exist_ok=True)
            for f in ("enc.alprdb", "enc.key", "done-enc"):
                shutil.copyfile(base / f, copy / f)
        dirs[name] = str(root)
    return dirs


def compare(other: Path, total: int, nq: int, warm: int, rounds: int) -> None:
    """This tree's engine against ``other``'s, each on its own copy of the cached store, in
    child processes taking turns (other, this, other, this, ...), so the load falls on both
    alike."""
    trees = {"baseline": other.resolve(), "this tree": Path(__file__).resolve().parent.parent}
    dirs = _store_per_tree(trees, total)
    got: dict[str, list[dict[str, Any]]] = {k: [] for k in trees}
    for r in range(rounds):
        for name, tree in trees.items():
            out = subprocess.run(
                [sys.executable, __file__, "--reads", str(total), "--queries", str(nq),
                 "--warm", str(warm), "--embedded-only", "--no-plain",
                 "--kinds", ",".join(KINDS)],
                capture_output=True, text=True, check=False,
                env={**os.environ, "ALPR_TREE": str(tree), "ALPR_SEARCH_BENCH_DIR": dirs[name]})
            lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
            if out.returncode or not lines:
                raise SystemExit(f"{name} failed:\n{out.stdout[-1500:]}\n{out.stderr[-1500:]}")
            got[name].append(json.loads(lines[-1])["results"]["encrypted"])
            print(f"  round {r + 1} {name}: done (load {load():.1f})", flush=True)
    print(f"\n{total:,} reads — this tree against {other} (median over {rounds} rounds of "
          f"the per-round p50 wall / mean CPU, ms); ratio this ÷ baseline")
    print(f"{'query':<11}{'baseline':>20}{'this tree':>20}{'wall':>8}{'CPU':>8}")
    summary = {}
    for k in KINDS:
        b = [x[k] for x in got["baseline"]]
        t = [x[k] for x in got["this tree"]]
        bw, tw = statistics.median(x["p50"] for x in b), statistics.median(x["p50"] for x in t)
        bc = statistics.median(x["cpu_mean"] for x in b)
        tc = statistics.median(x["cpu_mean"] for x in t)
        summary[k] = {"baseline": [bw, bc], "this": [tw, tc], "loads": [x["load"] for x in b + t]}
        print(f"{k:<11}{bw:>11.2f} /{bc:>6.2f}{tw:>11.2f} /{tc:>6.2f}{tw / bw:>8.2f}"
              f"{tc / bc:>8.2f}   load {', '.join(x['load'] for x in b + t)}")
    print(json.dumps({"reads": total, "compare": str(other), "summary": summary}))


def main(argv: list[str] | None = None) -> int:
    from _common import accept_benchmark_formats, use_memory_keyring

    use_memory_keyring()
    accept_benchmark_formats()
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--reads", type=int, action="append", help="store size (repeatable)")
    ap.add_argument("--small", action="store_true", help="one 50,000-read store (CI)")
    ap.add_argument("--queries", type=int, default=40, help="timed queries per kind")
    ap.add_argument("--warm", type=int, default=4, help="untimed queries first, per kind")
    ap.add_argument("--embedded-only", action="store_true", help="no PostgreSQL")
    ap.add_argument("--no-plain", action="store_true", help="skip the unencrypted twin")
    ap.add_argument("--compare-tree", type=Path,
                    help="a checkout (e.g. of main): its engine against this one's, "
                    "alternating in child processes, embedded encrypted store only")
    ap.add_argument("--rounds", type=int, default=3, help="with --compare-tree")
    ap.add_argument("--profile", action="store_true",
                    help="where the time goes, encrypted store only (no PostgreSQL)")
    ap.add_argument("--kinds", help=f"comma-separated, of {', '.join(KINDS_ALL)} "
                    "(the extra ones: embedded only)")
    ap.add_argument("--runs", type=int, default=1,
                    help="repeat the whole measurement (stores reopened, PostgreSQL restarted "
                    "with --keep-pg) and summarize the ratios over the runs")
    ap.add_argument("--warm-files", action="store_true",
                    help="read both engines' files once first, so the OS caches them")
    ap.add_argument("--alone", action="store_true",
                    help="each engine measured with the OS cache to itself (the others' "
                    "files dropped from it, its own read through), in turn")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--keep-pg", action="store_true",
                    help="keep the PostgreSQL cluster for the next run (ALPR_PG_KEEP_DIR)")
    ap.add_argument("--build-pg-only", action="store_true",
                    help="build (and keep) the PostgreSQL side only, cameras 1-40")
    args = ap.parse_args(argv)
    if args.kinds:
        global KINDS
        KINDS = tuple(args.kinds.split(","))
        unknown = set(KINDS) - set(KINDS_ALL)
        if unknown or (set(KINDS) & set(EXTRA_KINDS) and not (
                args.embedded_only or args.compare_tree or args.profile)):
            ap.error("--kinds: unknown kinds, or extra kinds without --embedded-only")
    if args.build_pg_only:  # beside the embedded build; the stores' cameras are 1-40
        for n in args.reads or [1_000_000]:
            cluster, conn = pg_ready(n, list(range(1, 41)), keep=True)
            conn.close()
            cluster.stop()
        return 0
    if args.build_only:  # --compare-tree's store, by the baseline tree's code
        for n in args.reads or [1_000_000]:
            sb.build(n, "enc")
        return 0
    if args.compare_tree:
        for n in args.reads or [50_000 if args.small else 1_000_000]:
            compare(args.compare_tree, n, args.queries, args.warm, args.rounds)
        return 0
    if args.profile:
        for n in args.reads or [50_000 if args.small else 1_000_000]:
            b = sb.build(n, "enc")
            store = open_store(b.enc, b.key)
            try:
                post_recent(store, "encrypted")
                plates = sb.sample_plates(store, args.queries, seed=n + 1)
                profile(store, embedded_queries(plates, seed=n + 1),
                        int(store.scalar("PRAGMA page_size")))
            finally:
                store.close()
        return 0
    sizes = [50_000] if args.small else (args.reads or [1_000_000])
    nq = 8 if args.small and args.queries == 40 else args.queries
    by_size: dict[int, list[dict[str, dict[str, Series]]]] = {}
    for n in sizes:
        results = [run(n, nq, args.warm if not args.small else 1, not args.embedded_only,
                       not args.no_plain, args.keep_pg, args.warm_files,
                       i if args.alone else None)
                   for i in range(max(1, args.runs))]
        by_size[n] = results
        if len(results) > 1:
            summarize(n, results)
    if len(by_size) > 1:
        summarize_growth(by_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
