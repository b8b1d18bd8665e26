"""Append to and verify the access log table. Every capability writes through ``append``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from alpr_desktop.core.audit_log import (
    GENESIS_HASH,
    ChainWalker,
    LogEntry,
    LogEvent,
    VerifyResult,
    canonical_json,
    entry_digest,
)
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.storage import log_verify
from alpr_desktop.storage.db import Store, migrations
from alpr_desktop.storage.errors import DB_ERRORS, classify

_COLUMNS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, "
    "purpose, query, result_count, detail, prev_hash, hash"
)
# The tables whose triggers keep the log append-only and its anchors (checkpoints, pinned
# keys) unchangeable. Verification compares every trigger on them, or naming them, with the
# SQL the program's migrations create.
# The SQL that builds each entry's canonical encoding for the fast range check (a module
# attribute so that a test can make it differ from the reference and show that only the
# reference decides).
_ENCODING_SQL = log_verify.ENCODING_SQL
PROTECTED_TABLES = ("access_log", "checkpoint_keys", "checkpoints", "log_anchors")
_TRIGGER_RE = re.compile(r"CREATE\s+TRIGGER\s+(\w+)\b.*?\bEND\b", re.S | re.I)
_ON_TABLE_RE = re.compile(r"\bON\s+(\w+)", re.I)


def _normal(sql: str) -> str:
    """SQL text with runs of white space made one space: formatting is not protection."""
    return " ".join(sql.split())


@functools.cache
def expected_triggers() -> dict[str, str]:
    """Name to normalized SQL of every protecting trigger, as the shipped migrations create
    them (the last definition of a name wins, as it would when a migration recreates one)."""
    found: dict[str, str] = {}
    for mig in migrations():
        for m in _TRIGGER_RE.finditer(mig.sql):
            on = _ON_TABLE_RE.search(m.group(0))
            if on and on.group(1) in PROTECTED_TABLES:
                found[m.group(1)] = _normal(m.group(0))
    return found



class AccessLogRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(self, ev: LogEvent, ts_ms: int) -> LogEntry:
        """Chain and insert one entry. Joins the caller's transaction when there is one, so
        the entry commits (or rolls back) with the work it records."""
        purpose = canonical_json(ev.purpose)
        query = canonical_json(ev.query)
        detail = canonical_json(ev.detail)
        try:
            # Every transaction of this store is BEGIN IMMEDIATE: the write lock is held from
            # before the head is read until the entry commits, so a second writer (another
            # connection, thread or process) waits and then chains onto this entry.
            with self.store.transaction() as c:
                last = c.execute(
                    "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
                fields = (
                    seq, ts_ms, ev.event, ev.outcome, ev.username, ev.organization, ev.agency,
                    ev.workstation, purpose, query, ev.result_count, detail, prev,
                )
                digest = entry_digest(*fields)
                c.execute(
                    f"INSERT INTO access_log({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*fields, digest),
                )
        except DB_ERRORS as exc:  # raised as is inside a caller's (outer) transaction
            raise classify(exc, self.store.path) from exc
        return LogEntry(*fields, digest)

    def head(self) -> tuple[int, str]:
        row = self.store.query_one("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1")
        return (row[0], row[1]) if row else (0, GENESIS_HASH)

    def count(self) -> int:
        return self.store.scalar("SELECT count(*) FROM access_log")

    def entries(self, after_seq: int = 0, limit: int = 1000) -> list[LogEntry]:
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM access_log WHERE seq > ? ORDER BY seq LIMIT ?",
            (after_seq, limit),
        )
        return [LogEntry(*r) for r in rows]

    def iter_rows(self, batch: int = 20_000) -> Iterator[tuple]:
        for rows in self._row_batches(batch):
            yield from rows

    def _row_batches(self, batch: int) -> Iterator[list[tuple]]:
        last = 0
        while True:
            rows = self.store.query(
                f"SELECT {_COLUMNS} FROM access_log WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch),
            )
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def hash_at(self, seq: int) -> str | None:
        row = self.store.query_one("SELECT hash FROM access_log WHERE seq = ?", (seq,))
        return row[0] if row else None

    def protection_problems(self) -> list[str]:
        """What is wrong with the triggers that protect the log, each as a phrase: a missing
        trigger, one whose SQL differs from the program's (a no-op under the right name), or
        an unexpected trigger on (or naming) a protected table. Empty when all is as shipped."""
        expected = expected_triggers()
        rows = self.store.query("SELECT name, tbl_name, sql FROM sqlite_master "
                                "WHERE type = 'trigger'")
        problems: list[str] = []
        present: dict[str, str] = {}
        for name, table, sql in rows:
            text = _normal(sql or "")
            if name in expected:
                present[name] = text
            elif table in PROTECTED_TABLES or any(
                re.search(rf"\b{t}\b", text, re.I) for t in PROTECTED_TABLES
            ):
                problems.append(f"an unexpected trigger {name} was added")
        for name, sql in expected.items():
            if name not in present:
                problems.append(f"{name} was removed")
            elif present[name] != sql:
                problems.append(f"{name} was changed")
        return problems

    def _walk_exact(self, walker: ChainWalker, after: int, upto: int | None) -> bool:
        """Feed entries after ``after`` (up to ``upto``, or all) to ``walker`` whole, judged by
        the reference encoding; False once the chain is broken."""
        bound = "" if upto is None else " AND seq <= ?"
        last = after
        while True:
            rows = self.store.query(
                f"SELECT {_COLUMNS} FROM access_log WHERE seq > ?{bound} ORDER BY seq LIMIT ?",
                (last, *(() if upto is None else (upto,)), 20_000),
            )
            if not rows:
                return walker.first_broken is None
            if not walker.feed_many(rows):
                return False
            last = rows[-1][0]

    def verify(self, progress=None, *, split_from: int = log_verify.SPLIT_FROM) -> VerifyResult:
        """Walk the whole chain; ``progress(checked)`` is called every 10,000 entries and may
        return False to cancel (raises Cancelled: a partial walk proves nothing).

        Ranges of 10,000 entries are checked in SQL (storage.log_verify), split with a helper
        process for long logs; a range that does not check out, and anything appended while
        the walk ran, is walked entry by entry with the reference encoding, which alone names
        the first broken entry."""
        walker = ChainWalker()
        archived_to, anchor_hash = self.archive_anchor()
        if archived_to:  # the archived prefix lives in its archive file (storage/log_archive)
            walker.start_after(archived_to, anchor_hash)
        step = log_verify.CHUNK
        low, high = self.store.query_one(
            "SELECT min(seq), max(seq) FROM access_log"
            + (" WHERE seq > ?" if archived_to else ""),
            (archived_to,) if archived_to else ()) or (None, None)
        if low is not None and low < 1:
            self._walk_exact(walker, low - 1, None)  # names the entry out of sequence
        elif high is not None:
            ranges = log_verify.plan(walker.expected_seq, high, step)
            checked = log_verify.checked_ranges(self.store, ranges, split_from=split_from,
                                                encoding_sql=_ENCODING_SQL)
            try:
                for (lo, hi), whole in checked:
                    if whole and walker.expected_seq == lo + 1:
                        walker.vouch(hi, self.hash_at(hi) or "")
                    elif not self._walk_exact(walker, lo, hi):
                        break
                    if (
                        progress and walker.checked % step == 0
                        and progress(walker.checked) is False
                    ):
                        raise Cancelled("verification cancelled")
            finally:
                checked.close()
        if walker.first_broken is None:
            self._walk_exact(walker, walker.expected_seq - 1, None)  # appended meanwhile
        missing = self.protection_problems()
        head_seq, head_hash = (walker.expected_seq - 1, walker.prev_hash)
        if walker.first_broken is not None:
            return VerifyResult(
                False, walker.checked, head_hash, head_seq, walker.first_broken,
                walker.reason, protection_ok=not missing, archived_to=archived_to,
            )
        if missing:
            return VerifyResult(
                False, walker.checked, head_hash, head_seq, None,
                "the append-only protection was removed or altered (" + "; ".join(missing) + ")",
                protection_ok=False, archived_to=archived_to,
            )
        return VerifyResult(True, walker.checked, head_hash, head_seq, archived_to=archived_to)

    def archive_anchor(self) -> tuple[int, str]:
        """(last archived seq, its hash) of the newest archive anchor; (0, genesis) when no
        entry was ever archived. Whether the anchor is genuine (its signature) is checked by
        services/log_archive.py."""
        row = self.store.query_one(
            "SELECT last_seq, last_hash FROM log_anchors ORDER BY last_seq DESC LIMIT 1")
        return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
