"""Append to and verify the access log table. Every capability writes through ``append``."""

from __future__ import annotations

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
from alpr_desktop.storage.db import Store

_COLUMNS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, "
    "purpose, query, result_count, detail, prev_hash, hash"
)
PROTECTING_TRIGGERS = ("access_log_no_update", "access_log_no_delete")


class AccessLogRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(self, ev: LogEvent, ts_ms: int) -> LogEntry:
        """Chain and insert one entry. Joins the caller's transaction when there is one, so
        the entry commits (or rolls back) with the work it records."""
        purpose = canonical_json(ev.purpose)
        query = canonical_json(ev.query)
        detail = canonical_json(ev.detail)
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
        return LogEntry(*fields, digest)

    def head(self) -> tuple[int, str]:
        row = self.store.query_one("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1")
        return (row[0], row[1]) if row else (0, GENESIS_HASH)

    def count(self) -> int:
        return self.store.query_one("SELECT count(*) FROM access_log")[0]

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

    def missing_triggers(self) -> list[str]:
        rows = self.store.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'"
        )
        present = {r[0] for r in rows}
        return [t for t in PROTECTING_TRIGGERS if t not in present]

    def verify(self, progress=None) -> VerifyResult:
        """Walk the whole chain; ``progress(checked)`` is called every 10,000 entries and may
        return False to cancel (raises Cancelled: a partial walk proves nothing)."""
        walker = ChainWalker()
        step = 10_000
        intact = True
        for rows in self._row_batches(2 * step):
            for i in range(0, len(rows), step):
                intact = walker.feed_many(rows[i:i + step])
                if not intact:
                    break
                if (
                    progress and walker.checked % step == 0
                    and progress(walker.checked) is False
                ):
                    raise Cancelled("verification cancelled")
            if not intact:
                break
        missing = self.missing_triggers()
        head_seq, head_hash = (walker.expected_seq - 1, walker.prev_hash)
        if walker.first_broken is not None:
            return VerifyResult(
                False, walker.checked, head_hash, head_seq, walker.first_broken,
                walker.reason, protection_ok=not missing,
            )
        if missing:
            return VerifyResult(
                False, walker.checked, head_hash, head_seq, None,
                "the append-only protection was removed (missing: " + ", ".join(missing) + ")",
                protection_ok=False,
            )
        return VerifyResult(True, walker.checked, head_hash, head_seq)
