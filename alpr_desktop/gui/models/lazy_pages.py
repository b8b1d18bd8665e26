"""The lazy keyset paging shared by the big tables (search results, the access log).

canFetchMore/fetchMore only *start* a worker (the view's ``fetcher``) and the rows go in when
it answers, so the GUI thread never runs a query. A generation number, bumped by every new
listing or clear, ties each answer to the listing that asked for it: a late page of an old
listing is dropped instead of mixed in. Subclasses hold their rows in ``_rows``, name their
columns in ``headers`` and say where the next page starts (``_next_key``), what a page adds
(``_append``) and how to stop asking (``_end_of_pages``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
# fetcher(key, on_page, on_error): start loading the page after ``key``.
Fetcher = Callable[[Any, Callable[[Any], None], Callable[[BaseException], None]], Any]


class LazyPagesModel(QAbstractTableModel):
    fetch_failed = Signal(object)  # BaseException
    headers: Sequence[str] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._fetcher: Fetcher | None = None
        self._fetching = False
        self._generation = 0

    def _new_listing(self, fetcher: Fetcher | None) -> None:
        """Forget the previous listing's pending answers (call inside a model reset)."""
        self._generation += 1
        self._fetcher = fetcher
        self._fetching = False

    @property
    def fetching(self) -> bool:
        return self._fetching

    # -- for subclasses ----------------------------------------------------------------------
    def _next_key(self) -> Any | None:
        """Where the next page starts, or None when there is none to ask for."""
        raise NotImplementedError

    def _append(self, page: Any) -> None:
        """Insert a page's rows; must reset ``_fetching`` and say whether more may follow."""
        raise NotImplementedError

    def _end_of_pages(self) -> None:
        """Stop asking for pages (a fetch failed; the view says why)."""
        raise NotImplementedError

    # -- lazy loading ------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and not self._fetching and self._fetcher is not None
                and self._next_key() is not None)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._fetcher is not None
        key = self._next_key()
        self._fetching = True
        generation = self._generation

        def got(page: Any) -> None:
            if generation == self._generation:
                self._append(page)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._fetching = False
                self._end_of_pages()
                self.fetch_failed.emit(exc)

        self._fetcher(key, got, failed)

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
