"""Search results as a lazy table: the first page is set, later pages arrive through
canFetchMore/fetchMore, which only *start* a worker (the view's ``fetcher``) and insert the
rows when it answers, so scrolling never runs a query on the GUI thread.

The rows are always in the engine's order. Sorting is never done on the loaded rows (they are
only the first pages of the result): ``sort`` asks for a new search in the chosen order
(``sort_requested``), which the engine answers by keyset over all matching reads.

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
from alpr_desktop.core.read_display import confidence_text, state_text
from alpr_desktop.core.search import Page, SearchRow, SortColumn
from alpr_desktop.gui import purged_reads
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
    if row.kind.label in ("candidate", "corrected"):
        return f"{row.kind.label} ({row.matched_plate})"
    return row.kind.label


# Header columns the engine can sort by (all results, by keyset); the others are not sortable.
SORTABLE: dict[int, SortColumn] = {
    TIME: SortColumn.TIME, PLATE: SortColumn.PLATE, STATE: SortColumn.STATE,
    MATCH: SortColumn.MATCH, CAMERA: SortColumn.CAMERA, CONFIDENCE: SortColumn.CONFIDENCE,
    DIRECTION: SortColumn.DIRECTION, VEHICLE: SortColumn.VEHICLE, SPEED: SortColumn.SPEED,
}
COLUMN_OF = {v: k for k, v in SORTABLE.items()}


class ReadResultsModel(LazyPagesModel):
    page_loaded = Signal(object)  # Page: each page as it is appended (first one included)
    thumbnails_wanted = Signal(list)  # read ids of newly shown rows without a thumbnail
    sort_requested = Signal(object, bool)  # SortColumn, descending: search again in that order
    reads_dropped = Signal(int)  # rows removed because the purge deleted their reads
    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchRow] = []
        self._seen: set[int] = set()  # read ids shown, so a page never repeats a row
        self._cursor: str | None = None
        self._thumbs: dict[int, QImage] = {}
        purged_reads.hub().purged.connect(self.drop_reads)
        purged_reads.track(self.shown_read_ids)  # for purges by other processes

    # -- data in -----------------------------------------------------------------------------
    def start(self, first: Page, fetcher: Fetcher | None) -> None:
        """Show a new search's first page; ``fetcher`` loads the following ones."""
        self.beginResetModel()
        self._new_listing(fetcher)
        self._rows = list(first.rows)
        self._seen = {r.read.id for r in self._rows}
        self._cursor = first.next_cursor
        self._thumbs.clear()
        self.endResetModel()
        self.page_loaded.emit(first)
        self._want_thumbnails(first.rows)

    def clear(self) -> None:
        self.beginResetModel()
        self._new_listing(None)
        self._rows = []
        self._seen = set()
        self._cursor = None
        self._thumbs.clear()
        self.endResetModel()

    def shown_read_ids(self) -> list[int]:
        return [r.read.id for r in self._rows]

    def drop_reads(self, ids: frozenset[int]) -> int:
        """Remove the rows of reads the purge deleted (issue 14), without a new search; the
        number removed (``reads_dropped`` tells the view). Their ids stay in ``_seen``, so a
        page that was already on its way cannot bring one back."""
        doomed = [i for i, r in enumerate(self._rows) if r.read.id in ids]
        for i in reversed(doomed):  # one removal per row, from the end: indexes stay valid
            self.beginRemoveRows(QModelIndex(), i, i)
            rid = self._rows.pop(i).read.id
            self._thumbs.pop(rid, None)
            self.endRemoveRows()
        if doomed:
            self.reads_dropped.emit(len(doomed))
        return len(doomed)

    @property
    def generation(self) -> int:
        return self._generation

    def row_of(self, read_id: int) -> int:
        """The row showing ``read_id``, or -1 when it is not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.read.id == read_id), -1)

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
        new = [r for r in page.rows if r.read.id not in self._seen]
        if new:
            self._seen.update(r.read.id for r in new)
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self.page_loaded.emit(page)
        self._want_thumbnails(new)

    def _want_thumbnails(self, rows: Any) -> None:
        ids = [r.read.id for r in rows if r.read.id not in self._thumbs]
        if ids:
            self.thumbnails_wanted.emit(ids)

    # -- sorting -----------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the whole result in another order (column -1: best match first). The
        loaded rows are not reordered here: they are not the whole result."""
        if column < 0:
            self.sort_requested.emit(SortColumn.BEST, False)
        elif column in SORTABLE:
            self.sort_requested.emit(SORTABLE[column],
                                     order == Qt.SortOrder.DescendingOrder)

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
            if col == PLATE and row.corrected:
                return (f"Read by the camera as {r.plate}; corrected: {row.corrected}. "
                        "Right-click › Correct Read… shows the history.")
            if col == PLATE and r.plate != r.plate_norm:
                return f"As read: {r.plate}"
            if col in (VEHICLE, DIRECTION, TIME):  # elided in a narrow column: in full here
                return _display(row, col) or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (SPEED, CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ReadIdRole:
            return r.id
        if role == RowRole:
            return row
        return None


_MATCH_TIPS = {
    "corrected": "A correction of this read names the plate searched for; the camera read "
                 "another plate (both are in the Plate column).",
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
        return format_local(r.recorded_at * 1000)
    if col == PLATE:  # a correction in force shows beside the plate as read (policy §7)
        return f"{r.plate_norm} → {row.corrected}" if row.corrected else r.plate_norm
    if col == STATE:
        return state_text(r.state)
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
        return confidence_text(r.confidence)  # stored 0-1 (migration 0004); 0: unknown
    return None
