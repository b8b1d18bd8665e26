"""Search results as a lazy table: the first page is set, later pages arrive through
canFetchMore/fetchMore, which only *start* a worker (the view's ``fetcher``) and insert the
rows when it answers, so scrolling never runs a query on the GUI thread.

Rows are held in memory only while shown; ``clear`` drops them (lock, sign-out, purpose
ended). Thumbnails are small QImages kept in memory, never written anywhere. A generation
number ties every answer to the search that asked for it, so a late page of an old search is
dropped instead of mixed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QImage

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.search import Page, SearchRow
from alpr_desktop.gui.models.lazy_pages import LazyPagesModel

Index = QModelIndex | QPersistentModelIndex
# fetcher(cursor, on_page, on_error): start loading the page after ``cursor``.
Fetcher = Callable[[str, Callable[[Page], None], Callable[[BaseException], None]], Any]

TIME, PLATE, THUMB, STATE, MATCH, CAMERA, DIRECTION, VEHICLE, SPEED, CONFIDENCE = range(10)
HEADERS = ("Time (local)", "Plate", "Crop", "State", "Match", "Camera · location", "Direction",
           "Make / model / color", "Speed", "Confidence")
ReadIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2


def _vehicle(row: SearchRow) -> str:
    r = row.read
    return " / ".join(x for x in (r.make, r.model, r.color) if x)


def _match(row: SearchRow) -> str:
    if row.kind.label == "candidate":
        return f"candidate ({row.matched_plate})"
    return row.kind.label


def _sort_key(column: int) -> Callable[[tuple[int, SearchRow]], Any]:
    keys: dict[int, Callable[[SearchRow], Any]] = {
        TIME: lambda r: (r.read.recorded_at, r.read.id),
        PLATE: lambda r: r.read.plate_norm,
        STATE: lambda r: r.read.state,
        MATCH: lambda r: (int(r.kind), -r.read.recorded_at),
        CAMERA: lambda r: r.read.camera_name,
        DIRECTION: lambda r: r.read.direction,
        VEHICLE: _vehicle,
        SPEED: lambda r: (r.read.speed is None, r.read.speed or 0.0),
        CONFIDENCE: lambda r: r.read.confidence,
    }
    key = keys.get(column)
    if key is None:  # the thumbnail column sorts like the default order: arrival
        return lambda pair: pair[0]
    return lambda pair: (key(pair[1]), pair[0])


class ReadResultsModel(LazyPagesModel):
    page_loaded = Signal(object)  # Page: each page as it is appended (first one included)
    thumbnails_wanted = Signal(list)  # read ids of newly shown rows without a thumbnail
    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchRow] = []
        self._arrival: dict[int, int] = {}  # read id -> position in best-match order
        self._cursor: str | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._thumbs: dict[int, QImage] = {}

    # -- data in -----------------------------------------------------------------------------
    def start(self, first: Page, fetcher: Fetcher | None) -> None:
        """Show a new search's first page; ``fetcher`` loads the following ones."""
        self.beginResetModel()
        self._new_listing(fetcher)
        self._rows = list(first.rows)
        self._arrival = {r.read.id: i for i, r in enumerate(self._rows)}
        self._cursor = first.next_cursor
        self._thumbs.clear()
        if self._sort is not None:
            self._rows.sort(key=self._row_key(), reverse=self._reverse())
        self.endResetModel()
        self.page_loaded.emit(first)
        self._want_thumbnails(first.rows)

    def clear(self) -> None:
        self.beginResetModel()
        self._new_listing(None)
        self._rows = []
        self._arrival = {}
        self._cursor = None
        self._thumbs.clear()
        self.endResetModel()

    @property
    def generation(self) -> int:
        return self._generation

    def row_at(self, row: int) -> SearchRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> list[SearchRow]:
        return list(self._rows)

    def set_thumbnails(self, images: dict[int, QImage], generation: int) -> None:
        """Thumbnails decoded on a worker; ignored when they belong to an older search."""
        if generation != self._generation or not images:
            return
        self._thumbs.update(images)
        if self._rows:
            self.dataChanged.emit(self.index(0, THUMB), self.index(len(self._rows) - 1, THUMB),
                                  [Qt.ItemDataRole.DecorationRole])

    # -- lazy loading ------------------------------------------------------------------------
    def _next_key(self) -> str | None:
        return self._cursor

    def _end_of_pages(self) -> None:
        self._cursor = None

    def _append(self, page: Page) -> None:
        self._fetching = False
        self._cursor = page.next_cursor
        new = [r for r in page.rows if r.read.id not in self._arrival]
        if new:
            base = len(self._arrival)
            for i, r in enumerate(new):
                self._arrival[r.read.id] = base + i
            if self._sort is None:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
                self._rows.extend(new)
                self.endInsertRows()
            else:
                self.layoutAboutToBeChanged.emit()
                old = list(self._rows)
                self._rows.extend(new)
                self._rows.sort(key=self._row_key(), reverse=self._reverse())
                self._move_persistent(old)
                self.layoutChanged.emit()
        self.page_loaded.emit(page)
        self._want_thumbnails(new)

    def _want_thumbnails(self, rows: Any) -> None:
        ids = [r.read.id for r in rows if r.read.id not in self._thumbs]
        if ids:
            self.thumbnails_wanted.emit(ids)

    # -- sorting -----------------------------------------------------------------------------
    def _row_key(self) -> Callable[[SearchRow], Any]:
        column = self._sort[0] if self._sort else THUMB
        key = _sort_key(column)
        return lambda r: key((self._arrival.get(r.read.id, 0), r))

    def _reverse(self) -> bool:
        return self._sort is not None and self._sort[1] == Qt.SortOrder.DescendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the loaded rows; later pages are merged into the chosen order. Column -1 goes
        back to best match first."""
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        self._sort = None if column < 0 else (column, order)
        if self._sort is None:
            self._rows.sort(key=lambda r: self._arrival.get(r.read.id, 0))
        else:
            self._rows.sort(key=self._row_key(), reverse=self._reverse())
        self._move_persistent(old)
        self.layoutChanged.emit()

    def _move_persistent(self, old: list[SearchRow]) -> None:
        where = {r.read.id: i for i, r in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = []
        for idx in before:
            r = old[idx.row()] if 0 <= idx.row() < len(old) else None
            after.append(self.index(where[r.read.id], idx.column()) if r else QModelIndex())
        self.changePersistentIndexList(before, after)

    # -- QAbstractTableModel ------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        col = index.column()
        if not 0 <= col < len(HEADERS):
            return None
        row = self._rows[index.row()]
        r = row.read
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, col)
        if role == Qt.ItemDataRole.DecorationRole and col == THUMB:
            return self._thumbs.get(r.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == CAMERA:
                return r.location or r.camera_name
            if col == MATCH:
                return _MATCH_TIPS[row.kind.label]
            if col == PLATE and r.plate != r.plate_norm:
                return f"As read: {r.plate}"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (SPEED, CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ReadIdRole:
            return r.id
        if role == RowRole:
            return row
        return None


_MATCH_TIPS = {
    "exact": "The plate as read is the plate searched for.",
    "candidate": "One of the reader's alternate readings matches; check the image.",
    "look-alike": "Matches once OCR look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G) are "
                  "treated alike; check the image.",
    "one edit": "One character dropped, added or changed (after look-alikes); check the image.",
    "wildcard": "Matches the wildcard or partial plate.",
}


def _display(row: SearchRow, col: int) -> str | None:
    r = row.read
    if col == THUMB:
        return None
    if col == TIME:
        return format_local(r.recorded_at)
    if col == PLATE:
        return r.plate_norm
    if col == STATE:
        return r.state
    if col == MATCH:
        return _match(row)
    if col == CAMERA:
        if r.location and r.location != r.camera_name:
            return f"{r.camera_name} · {r.location}"
        return r.camera_name
    if col == DIRECTION:
        return r.direction
    if col == VEHICLE:
        return _vehicle(row)
    if col == SPEED:
        return "" if r.speed is None else f"{r.speed:.0f} mph"
    if col == CONFIDENCE:
        return f"{r.confidence * 100:.0f}%" if r.confidence <= 1 else f"{r.confidence:.0f}%"
    return None
