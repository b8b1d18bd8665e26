"""The lazy results model: passes qtmodeltester, fetches later pages through the fetcher
without blocking, drops stale pages, asks the engine to sort, keeps thumbnails in
memory only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage

from alpr_desktop.core.models import Read
from alpr_desktop.core.patterns import MatchKind, parse
from alpr_desktop.core.search import Page, SearchRow, SortColumn
from alpr_desktop.gui.models.read_results_model import (
    MATCH,
    PLATE,
    SPEED,
    THUMB,
    TIME,
    ReadIdRole,
    ReadResultsModel,
)

T0 = 1_767_225_600


def _row(i: int, kind: MatchKind = MatchKind.EXACT, plate: str = "7ABC123") -> SearchRow:
    read = Read(i, plate, plate, "CA", T0 - i * 60, 1, "Avalon & 223rd NB", "Carson",
                "N", "Honda", "Civic", "Silver", "Sedan", None if i % 5 == 0 else 30.0 + i,
                0.9, candidates=(("7A8C123", 0.4),))
    return SearchRow(read, kind, plate)


def _page(rows: list[SearchRow], cursor: str | None) -> Page:
    return Page(tuple(rows), cursor, parse("7ABC*"), 1, "test", 1.0, len(rows))


class FakeSource:
    """Pages of ``size`` rows out of ``n``, answered later on the event loop, like a worker."""

    def __init__(self, n: int, size: int, *, manual: bool = False) -> None:
        self.manual = manual  # answers wait for answer_all(), so a test decides the order
        self.pending: list[Callable[[], None]] = []
        self.rows = [_row(i + 1, MatchKind.EXACT if i < 3 else MatchKind.WILDCARD)
                     for i in range(n)]
        self.size = size
        self.calls: list[str] = []

    def first(self) -> Page:
        return self._page_at(0)

    def _page_at(self, start: int) -> Page:
        end = start + self.size
        return _page(self.rows[start:end], str(end) if end < len(self.rows) else None)

    def __call__(self, cursor: str, on_page: Callable[[Page], None],
                 on_error: Callable[[BaseException], None]) -> None:
        self.calls.append(cursor)
        answer = lambda: on_page(self._page_at(int(cursor)))  # noqa: E731
        if self.manual:
            self.pending.append(answer)
        else:
            QTimer.singleShot(5, answer)

    def answer_all(self) -> None:
        pending, self.pending = self.pending, []
        for answer in pending:
            answer()


def test_passes_qtmodeltester(qtbot, qtmodeltester) -> None:
    model = ReadResultsModel()
    src = FakeSource(23, 10)
    model.start(src.first(), src)
    qtmodeltester.check(model)  # the tester itself calls fetchMore: pages arrive later
    while model.rowCount() < 23:
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.fetching)
    qtmodeltester.check(model)
    model.sort(PLATE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)


def test_fetch_more_is_asynchronous_and_pages_through(qtbot) -> None:
    model = ReadResultsModel()
    src = FakeSource(25, 10)
    model.start(src.first(), src)
    assert model.rowCount() == 10 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10 and model.fetching  # nothing ran on this thread yet
    assert not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 20)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 25)
    assert not model.canFetchMore()
    assert src.calls == ["10", "20"]
    ids = [model.data(model.index(r, PLATE), ReadIdRole) for r in range(25)]
    assert ids == list(range(1, 26))


def test_a_page_of_an_older_search_is_dropped(qtbot) -> None:
    model = ReadResultsModel()
    src = FakeSource(30, 10, manual=True)
    model.start(src.first(), src)
    model.fetchMore()
    assert src.calls == ["10"] and len(src.pending) == 1
    other = FakeSource(4, 10)
    model.start(other.first(), other)  # a new search before the old page answered
    src.answer_all()  # the old search's page arrives now: it must be dropped
    assert model.rowCount() == 4
    assert [model.data(model.index(r, PLATE), ReadIdRole) for r in range(4)] == [1, 2, 3, 4]


def test_display_and_tooltips() -> None:
    model = ReadResultsModel()
    rows = [_row(1), _row(2, MatchKind.CANDIDATE, "7XYZ999"), _row(5)]
    model.start(_page(rows, None), None)
    assert model.data(model.index(0, PLATE)) == "7ABC123"
    assert model.data(model.index(1, MATCH)) == "candidate (7XYZ999)"
    assert "alternate" in model.data(model.index(1, MATCH), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, TIME)).startswith("2025-12-31 15:59")
    assert model.data(model.index(2, SPEED)) == ""
    assert model.headerData(THUMB, Qt.Orientation.Horizontal) == "Crop"


def test_sorting_asks_the_engine_and_never_reorders_the_loaded_rows(qtbot) -> None:
    """Sorting the loaded rows would sort only the first pages (the top row then changes
    while scrolling): the model asks for a new search in that order instead."""
    model = ReadResultsModel()
    src = FakeSource(20, 10)
    model.start(src.first(), src)
    asked: list[tuple[object, bool]] = []
    model.sort_requested.connect(lambda c, d: asked.append((c, d)))
    model.sort(TIME, Qt.SortOrder.AscendingOrder)
    model.sort(PLATE, Qt.SortOrder.DescendingOrder)
    model.sort(THUMB, Qt.SortOrder.AscendingOrder)  # not sortable: no request
    model.sort(-1)
    assert asked == [(SortColumn.TIME, False), (SortColumn.PLATE, True),
                     (SortColumn.BEST, False)]
    assert [model.data(model.index(r, PLATE), ReadIdRole) for r in range(10)] == list(
        range(1, 11))
    assert model.row_of(7) == 6 and model.row_of(99) == -1


def test_thumbnails_are_memory_only_and_generation_checked(qtbot) -> None:
    model = ReadResultsModel()
    wanted: list[list[int]] = []
    model.thumbnails_wanted.connect(wanted.append)
    model.start(_page([_row(1), _row(2)], None), None)
    assert wanted == [[1, 2]]
    img = QImage(8, 4, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    model.set_thumbnails({1: img}, model.generation - 1)  # stale: ignored
    assert model.data(model.index(0, THUMB), Qt.ItemDataRole.DecorationRole) is None
    model.set_thumbnails({1: img}, model.generation)
    assert model.data(model.index(0, THUMB), Qt.ItemDataRole.DecorationRole) is img
    model.clear()
    model.start(_page([_row(1)], None), None)
    assert model.data(model.index(0, THUMB), Qt.ItemDataRole.DecorationRole) is None


def test_passes_the_python_model_tester_too(qtbot, qtmodeltester) -> None:
    """The Python tester stays connected after check() and checks every later change."""
    model = ReadResultsModel()
    src = FakeSource(12, 5)
    model.start(src.first(), src)
    qtmodeltester.check(model, force_py=True)
    while model.rowCount() < 12:
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.fetching)
    model.sort(MATCH, Qt.SortOrder.AscendingOrder)
    model.sort(-1)
    model.clear()
