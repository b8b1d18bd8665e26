"""The fast check of the access log's hash chain: whole ranges of entries at once, in SQL.

A range of entries (lo, hi] is whole when every number in it is present and each entry's
stored hash is SHA-256 over its canonical encoding and its predecessor's stored hash is its
``prev_hash``. One ``count(*)`` query asks exactly that: SQLite builds each encoding in C
(``json_array``), a small registered function hashes it, and the predecessor is found by its
row id. The answer is a number, so no row is built in Python (building rows was most of the
cost of the walk). The check is order-free, so ranges can be split between this process and
spawned helper processes (one per further core, up to three) that open their own connections;
on a machine with a free core a million entries check in about half the time.

A range that does not check out proves nothing by itself (an entry may hold a value the two
encoders write differently): the caller walks that range row by row with the reference
encoding (core.audit_log.ChainWalker), which alone decides and names the first broken entry.

The helper process switches off core dumps (security.process_hardening) before it receives the
store's key, which comes through a pipe, never its command line or environment.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alpr_desktop.core.audit_log import ENCODING_TAG, GENESIS_HASH
from alpr_desktop.storage.db import DB_ERRORS, Store, _open

HASH_FUNCTION = "alpr_log_sha256_hex"
# The canonical encoding of core.audit_log, built by SQLite (UTF-8 bytes, as the reference
# encodes them). tests/unit/log/test_fast_walk.py proves it byte-for-byte equal to the
# reference for the values the log holds.
ENCODING_SQL = (
    f"CAST(json_array('{ENCODING_TAG}', a.seq, a.ts_ms, a.event, a.outcome, a.username, "
    "a.organization, a.agency, a.workstation, a.purpose, a.query, a.result_count, a.detail, "
    "a.prev_hash) AS BLOB)"
)
CHUNK = 10_000  # entries per range: progress and cancelling happen between ranges
SPLIT_FROM = 200_000  # logs at least this long are split with helper processes
MAX_PROCESSES = 4  # this one and up to three helpers, one per core
_POLL_S = 0.05
_JOIN_S = 5.0

Range = tuple[int, int]  # (lo, hi]: entries lo+1 .. hi


def _sha256_hex(encoded: object) -> str | None:
    """SHA-256 (hex) of the encoding SQLite built; None (never equal) for anything else."""
    if type(encoded) is not bytes:
        return None
    return hashlib.sha256(encoded).hexdigest()


def register(conn: Any) -> None:
    """Make the hash function available on ``conn`` (idempotent)."""
    conn.create_function(HASH_FUNCTION, 1, _sha256_hex, deterministic=True)


def range_sql(encoding_sql: str = ENCODING_SQL) -> str:
    return (
        "SELECT count(*) FROM access_log a WHERE a.seq > ? AND a.seq <= ? "
        f"AND {HASH_FUNCTION}({encoding_sql}) = a.hash "
        f"AND a.prev_hash = CASE WHEN a.seq = 1 THEN '{GENESIS_HASH}' "
        "ELSE (SELECT b.hash FROM access_log b WHERE b.seq = a.seq - 1) END"
    )


def range_whole(store: Store, lo: int, hi: int, encoding_sql: str = ENCODING_SQL) -> bool:
    """True when entries lo+1 .. hi are all present and chained; False when that is not
    shown (the caller then walks the range with the reference encoding). A value SQLite
    cannot encode (a BLOB put into a text column) is False, not an error."""
    try:
        row = store.conn.execute(range_sql(encoding_sql), (lo, hi)).fetchone()
    except DB_ERRORS:
        return False
    return row is not None and row[0] == hi - lo


def plan(first: int, last: int, chunk: int = CHUNK) -> list[Range]:
    """Ranges covering entries first .. last, aligned to ``chunk``."""
    out: list[Range] = []
    lo = first - 1
    while lo < last:
        hi = min(last, (lo // chunk + 1) * chunk)
        out.append((lo, hi))
        lo = hi
    return out


@dataclass
class _Helper:
    """A spawned process checking the later ranges; its answers arrive through ``conn``."""

    proc: multiprocessing.process.BaseProcess
    conn: Any
    pending: set[Range]
    answers: dict[Range, bool] = field(default_factory=dict)
    failed: bool = False

    def drain(self, wait: bool) -> None:
        """Take the answers that have arrived (all of them when ``wait``)."""
        while self.pending and not self.failed:
            try:
                if not self.conn.poll(_POLL_S if wait else 0):
                    if not wait:
                        return
                    if not self.proc.is_alive() and not self.conn.poll(0):
                        self.failed = True
                    continue
                msg = self.conn.recv()
            except (EOFError, OSError):
                self.failed = True
                return
            if msg[0] != "range":
                self.failed = True
                return
            _, lo, hi, ok = msg
            self.pending.discard((lo, hi))
            self.answers[(lo, hi)] = bool(ok)

    def stop(self) -> None:
        try:
            self.conn.close()
        finally:
            if self.proc.pid is not None:
                self.proc.join(0 if self.proc.is_alive() else _JOIN_S)
                if self.proc.is_alive():
                    self.proc.terminate()
                    self.proc.join(_JOIN_S)
                if self.proc.is_alive():
                    self.proc.kill()
                    self.proc.join()
                self.proc.close()


def _start_helper(store: Store, ranges: list[Range]) -> _Helper | None:
    """Spawn the helper for ``ranges``; None where a process cannot be started."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe(duplex=True)
    proc = ctx.Process(target=_helper_main, args=(theirs,), name="log-verify", daemon=True)
    try:
        proc.start()
    except (OSError, RuntimeError):
        ours.close()
        theirs.close()
        return None
    theirs.close()
    helper = _Helper(proc, ours, set(ranges))
    try:
        ours.send((str(store.path), store.data_key(), store._busy_timeout_ms,
                   store._plain, ranges))
    except (OSError, EOFError):
        helper.failed = True
    return helper


def _helper_main(conn: Any) -> None:
    """The helper process: no core dumps, then the key from the pipe, then one answer per
    range. Ignores SIGINT (the parent decides) and ends quietly when the parent goes."""
    from alpr_desktop.security.process_hardening import disable_core_dumps

    disable_core_dumps()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        path, key, busy_ms, plain, ranges = conn.recv()
        store = _open(Path(path), key, busy_ms, plain=plain)
        del key
        try:
            register(store.conn)
            for lo, hi in ranges:
                conn.send(("range", lo, hi, range_whole(store, lo, hi)))
        finally:
            store.close()
    except (BrokenPipeError, EOFError):
        pass
    except BaseException as exc:  # told to the parent, which then checks the ranges itself
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except OSError:
            pass
    finally:
        conn.close()


def helper_count(cpus: int | None = None) -> int:
    """Helper processes to start beside this one: one per further core, at most three."""
    return max(0, min(cpus if cpus is not None else (os.cpu_count() or 1), MAX_PROCESSES) - 1)


def checked_ranges(
    store: Store, ranges: list[Range], *, split_from: int = SPLIT_FROM,
    encoding_sql: str = ENCODING_SQL, helpers: int | None = None,
) -> Generator[tuple[Range, bool], None, None]:
    """Each range with whether it checked out, in order. From ``split_from`` entries on, the
    ranges are cut into as many consecutive parts as there are cores (at most MAX_PROCESSES):
    this process checks the first part while helper processes check the others at the same
    time. A helper that cannot start or fails leaves its ranges to this process. Closing the
    iterator stops the helpers."""
    register(store.conn)
    total = sum(hi - lo for lo, hi in ranges)
    n_helpers = helper_count() if helpers is None else helpers
    owner: dict[Range, _Helper] = {}
    started: list[_Helper] = []
    if total >= split_from and n_helpers and len(ranges) > 1:
        parts = min(n_helpers + 1, len(ranges))
        size = -(-len(ranges) // parts)
        for part in range(1, parts):
            share = ranges[part * size:(part + 1) * size]
            helper = _start_helper(store, share) if share else None
            if helper is not None:
                started.append(helper)
                owner.update((rng, helper) for rng in share)
    try:
        for rng in ranges:
            helper = owner.get(rng)
            if helper is not None:
                if rng in helper.pending:
                    helper.drain(wait=True)
                if rng in helper.answers:
                    yield rng, helper.answers.pop(rng)
                    continue
            else:
                for h in started:
                    h.drain(wait=False)  # keep the pipes flowing while this process works
            yield rng, range_whole(store, *rng, encoding_sql=encoding_sql)
    finally:
        for helper in started:
            helper.stop()
