"""The access log as a lazy table for the custodian's audit view, newest entry first.

The log may hold millions of entries, so the model holds only the pages scrolled to:
canFetchMore/fetchMore only *start* a worker (the view's ``fetcher``, keyset paging on seq) and
the rows are inserted when it answers; the GUI thread never runs a query. A generation number
ties each answer to the listing that asked for it, so a late page of an old filter is dropped.
Columns are the policy's five elements (§5) in the words of core.audit_words (event types as
phrases, the query as its elements, never codes or JSON), the same text the printed report
uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from alpr_desktop.core.audit_format import AuditRow, audit_row
from alpr_desktop.core.audit_log import LogEntry
from alpr_desktop.core.audit_words import entry_words
from alpr_desktop.gui import palette
from alpr_desktop.gui.models.lazy_pages import LazyPagesModel

Index = QModelIndex | QPersistentModelIndex
# fetcher(after_seq, on_page, on_error): start loading the entries older than ``after_seq``.
Fetcher = Callable[[int, Callable[[list[LogEntry]], None], Callable[[BaseException], None]], Any]

SEQ, TIME, EVENT, AGENCY, ELEMENTS, USER, PURPOSE, RESULTS, OUTCOME = range(9)
HEADERS = ("#", "Date and time (local)", "Event", "Agency", "Plate or query elements",
           "User (organization)", "Purpose", "Results", "Outcome")
EntryRole = Qt.ItemDataRole.UserRole + 1
SeqRole = Qt.ItemDataRole.UserRole + 2
_NOT_OK = QColor(palette.ERROR_TEXT)


def purpose_text(r: AuditRow) -> str:
    """Category, case number and offense in one cell; the narrative goes to the tooltip."""
    parts = [r.category]
    if r.case_number:
        parts.append(f"case {r.case_number}")
    if r.offense:
        parts.append(r.offense)
    if r.requesting_agency:
        parts.append(f"for {r.requesting_agency}")
    return " · ".join(p for p in parts if p)


class _Row:
    """An entry's table text: the shared AuditRow and its words."""

    __slots__ = ("row", "words")

    def __init__(self, e: LogEntry) -> None:
        self.row = audit_row(e)
        self.words = entry_words(e)


def user_text(r: AuditRow) -> str:
    return f"{r.username} ({r.organization})" if r.organization else r.username


def _display(w: _Row, col: int) -> str:
    r = w.row
    if col == SEQ:
        return str(r.seq)
    if col == TIME:
        return r.local_time
    if col == AGENCY:
        return r.agency
    if col == ELEMENTS:
        return w.words["query"]
    if col == USER:
        return user_text(r)
    if col == PURPOSE:
        return purpose_text(r)
    if col == RESULTS:
        return r.result_count
    if col == OUTCOME:
        return w.words["outcome"]
    return w.words["event"]


class AuditLogModel(LazyPagesModel):
    page_loaded = Signal(int)  # rows added (the first page included)
    headers = HEADERS

    def __init__(self, parent: Any = None, *, page_size: int = 200) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self._entries: list[LogEntry] = []
        self._rows: list[_Row] = []
        self._more = False

    # -- data in -----------------------------------------------------------------------------
    def start(self, first: list[LogEntry], fetcher: Fetcher | None) -> None:
        """Show a new listing's first page; ``fetcher`` loads the older entries."""
        self.beginResetModel()
        self._new_listing(fetcher)
        self._entries = list(first)
        self._rows = [_Row(e) for e in self._entries]
        self._more = False  # no fetch from inside the reset's own signals
        self.endResetModel()
        self._more = fetcher is not None and len(first) >= self.page_size
        self.page_loaded.emit(len(first))

    def clear(self) -> None:
        """Drop every entry (a lock, a sign-out, a new listing on its way)."""
        self.beginResetModel()
        self._new_listing(None)
        self._entries, self._rows = [], []
        self._more = False
        self.endResetModel()

    @property
    def has_more(self) -> bool:
        return self._more

    def entry_at(self, row: int) -> LogEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of_seq(self, seq: int) -> int | None:
        """The row showing entry ``seq`` (rows are in descending seq order), or None."""
        lo, hi = 0, len(self._entries)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self._entries[mid].seq
            if s == seq:
                return mid
            if s > seq:
                lo = mid + 1
            else:
                hi = mid
        return None

    # -- lazy loading ------------------------------------------------------------------------
    def _next_key(self) -> int | None:
        return self._entries[-1].seq if self._more and self._entries else None

    def _end_of_pages(self) -> None:
        self._more = False

    def _append(self, entries: list[LogEntry]) -> None:
        # Still "fetching" while the rows go in: whoever watches the insertion and asks
        # canFetchMore then must not start the next page inside this one.
        last = self._entries[-1].seq if self._entries else None
        new = [e for e in entries if last is None or e.seq < last]
        if new:
            first = len(self._entries)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._entries.extend(new)
            self._rows.extend(_Row(e) for e in new)
            self.endInsertRows()
        self._more = len(entries) >= self.page_size
        self._fetching = False
        self.page_loaded.emit(len(new))

    # -- QAbstractTableModel ------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        col = index.column()
        if not 0 <= col < len(HEADERS):
            return None
        w = self._rows[index.row()]
        r = w.row
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(w, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == PURPOSE:
                return r.narrative or None
            if col == TIME:
                return r.utc_time
            if col == RESULTS:
                return w.words["result"] or None
            if col == EVENT:
                return f"{w.words['event']} ({r.event})"
            if col in (ELEMENTS, AGENCY, USER):
                return _display(w, col) or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (SEQ, RESULTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == OUTCOME and r.outcome != "ok":
            return _NOT_OK
        if role == EntryRole:
            return self._entries[index.row()]
        if role == SeqRole:
            return r.seq
        return None
