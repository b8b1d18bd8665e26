"""Filtered reads of the access log for the custodian's audit view and report.

Keyset paging on ``seq`` (never OFFSET) so a page deep in a million entries costs the same as
the first; every value is a bound parameter and LIKE wildcards in user text are escaped, so a
filter is never SQL and ``%`` or ``_`` match only themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.oversight import ROW_COLUMNS, EntryRow
from alpr_desktop.storage.db import Store

_COLUMNS = (
    "seq, ts_ms, event, outcome, username, organization, agency, workstation, "
    "purpose, query, result_count, detail, prev_hash, hash"
)
_DISTINCT_COLUMNS = frozenset({"username", "organization", "agency", "event", "outcome"})


def like_pattern(text: str) -> str:
    """``%text%`` with ``\\``, ``%`` and ``_`` escaped for ``LIKE ? ESCAPE '\\'``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(f: AuditFilter) -> tuple[str, list[object]]:
    """SQL condition (starting with ``1``) and its parameters for ``f``; see AuditFilter."""
    sql = ["1"]
    params: list[object] = []
    if f.through_seq is not None:
        sql.append("seq <= ?")
        params.append(f.through_seq)
    if f.from_ms is not None:
        sql.append("ts_ms >= ?")
        params.append(f.from_ms)
    if f.to_ms is not None:
        sql.append("ts_ms < ?")
        params.append(f.to_ms)
    if f.username:
        sql.append("username = ? COLLATE NOCASE")
        params.append(f.username)
    if f.outcome:
        sql.append("outcome = ? COLLATE NOCASE")
        params.append(f.outcome)
    if f.events:
        sql.append(f"event IN ({','.join('?' * len(f.events))})")
        params.extend(f.events)
    if f.organization:
        sql.append("(organization LIKE ? ESCAPE '\\' OR agency LIKE ? ESCAPE '\\')")
        pat = like_pattern(f.organization)
        params.extend((pat, pat))
    if f.query_text:
        sql.append("query LIKE ? ESCAPE '\\'")
        params.append(like_pattern(f.query_text))
    if f.case_number:
        sql.append(
            "(json_valid(purpose) AND json_type(purpose) = 'object' AND "
            "CAST(coalesce(json_extract(purpose, '$.case_number'), '') AS TEXT) "
            "LIKE ? ESCAPE '\\')"
        )
        params.append(like_pattern(f.case_number))
    if f.purpose_category:
        sql.append(
            "(json_valid(purpose) AND json_type(purpose) = 'object' AND "
            "CAST(json_extract(purpose, '$.category') AS TEXT) = ? COLLATE NOCASE)"
        )
        params.append(f.purpose_category)
    return " AND ".join(sql), params


class AuditQueries:
    """Read-only queries over ``access_log``; rows come back as LogEntry."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def page(
        self, f: AuditFilter, after_seq: int = 0, limit: int = 200, *, descending: bool = False
    ) -> list[LogEntry]:
        """Up to ``limit`` entries selected by ``f`` past ``after_seq`` in seq order (newest
        first when ``descending``; then ``after_seq`` 0 means "from the newest")."""
        where, params = where_clause(f)
        if descending:
            if after_seq > 0:
                where += " AND seq < ?"
                params.append(after_seq)
            order = "DESC"
        else:
            where += " AND seq > ?"
            params.append(after_seq)
            order = "ASC"
        params.append(max(0, int(limit)))
        rows = self.store.query(
            f"SELECT {_COLUMNS} FROM access_log WHERE {where} ORDER BY seq {order} LIMIT ?",
            tuple(params),
        )
        return [LogEntry(*r) for r in rows]

    def count(self, f: AuditFilter) -> int:
        where, params = where_clause(f)
        return int(self.store.scalar(
            f"SELECT count(*) FROM access_log WHERE {where}", tuple(params)
        ))

    def iter_entries(self, f: AuditFilter, batch: int = 2000) -> Iterator[LogEntry]:
        """Every selected entry in seq order, fetched in keyset batches (bounded memory)."""
        last = 0
        while True:
            rows = self.page(f, last, batch)
            if not rows:
                return
            yield from rows
            last = rows[-1].seq

    def iter_rows(self, f: AuditFilter, batch: int = 5000,
                  after_seq: int = 0) -> Iterator[EntryRow]:
        """Every selected entry after ``after_seq`` in seq order with only the columns the
        oversight checks read (no hashes, no workstation), as light tuples: a million entries
        are read in one pass, and a LogEntry costs several times a tuple to make."""
        where, params = where_clause(f)
        sql = (f"SELECT {ROW_COLUMNS} FROM access_log WHERE {where} AND seq > ? "
               "ORDER BY seq LIMIT ?")
        make = EntryRow._make
        last = after_seq
        while True:
            rows = self.store.query(sql, (*params, last, batch))
            if not rows:
                return
            yield from map(make, rows)
            last = rows[-1][0]

    def get(self, seq: int) -> LogEntry | None:
        row = self.store.query_one(f"SELECT {_COLUMNS} FROM access_log WHERE seq = ?", (seq,))
        return LogEntry(*row) if row else None

    def distinct(self, column: str, limit: int = 1000) -> list[str]:
        """Distinct non-empty values of one column (filter pick lists), sorted."""
        if column not in _DISTINCT_COLUMNS:
            raise ValueError(f"not a filterable column: {column!r}")
        rows = self.store.query(
            f"SELECT DISTINCT {column} FROM access_log WHERE {column} != '' "
            f"ORDER BY {column} LIMIT ?",
            (limit,),
        )
        return [r[0] for r in rows]
