"""The plate search screen: the active purpose above the form, a plate field with its syntax
explained, the match mode, a filter panel, a lazy results table with plate-crop thumbnails,
a details panel and "Open Images…".

Every query runs on a worker through SearchService (the gate, the access-log entry, then the
rows). A new search supersedes the running one: its generation number makes late answers
stale, and its connection is interrupted (sqlite3_interrupt) so it stops using the disk. The
first page comes without its counts (issue 20: the rows before the total) and the count
follows as a task of its own on the same connection, also logged; the status line shows the
rows at once ("100+ reads found, counting…"), then the count and the time taken;
``status_message`` carries the same text to the window's status bar. The view keeps read
data only while it is shown: the purpose ending, a lock or a sign-out clears it.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.accounts import ActivePurpose
from alpr_desktop.core.clock import format_local, format_utc
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.models import Camera
from alpr_desktop.core.patterns import Mode, PatternError, parse
from alpr_desktop.core.read_display import confidence_text, state_text
from alpr_desktop.core.roles import Role
from alpr_desktop.core.search import (
    DEFAULT_PAGE_SIZE,
    BatchResult,
    Filters,
    Page,
    SearchCount,
    SearchInputError,
    SearchQuery,
    SearchRow,
    SortColumn,
    parse_plate_list,
)
from alpr_desktop.gui import palette
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller, OnError, OnResult, RunWork, Work
from alpr_desktop.gui.models.read_results_model import (
    COLUMN_OF,
    SORTABLE,
    THUMB,
    ReadResultsModel,
)
from alpr_desktop.gui.widgets.read_filter_panel import FilterPanel
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services.cancellation import QueryInterrupt
from alpr_desktop.services.workstation import DedicatedServices

PATTERN_SHORT = (
    "<b>7ABC123</b> exact · <b>7AB*</b> any run · <b>7?BC12?</b> one character · "
    "<i>Contains</i>, <i>Fuzzy</i> in the list · Ctrl+F plate · Alt+R results · Enter opens"
)
PATTERN_HELP = (
    "Type a plate or part of one. <b>*</b> stands for any run of characters, <b>?</b> for "
    "exactly one (<code>7AB*</code>, <code>7?BC12?</code>). <i>Contains</i> finds the "
    "characters anywhere; <i>Fuzzy</i> also finds OCR look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, "
    "8/B, 6/G), one character dropped, added or changed, and the reader's alternate readings."
    " Ctrl+F comes back here; Enter searches; Alt+R goes to the results, where Enter opens "
    "the images."
)
ACTIVE_STYLE = palette.banner_style("searchPurposeBanner", palette.INFO_BACKGROUND,
                                    palette.INFO_BORDER)
NONE_STYLE = palette.banner_style("searchPurposeBanner", palette.NOTICE_BACKGROUND,
                                  palette.NOTICE_BORDER)
THUMB_SIZE = QSize(96, 30)
MAX_COLUMN_WIDTH = 180  # px: a long camera location or vehicle elides instead
MAX_THUMB_BYTES = 2_000_000
MAX_THUMB_PIXELS = 4096 * 4096
MAX_LIST_BYTES = 1_000_000
SEEK_PAGES = 5  # after a re-sort, pages loaded (each logged) to find the selected read again
SORT_HINT = "Sort by any heading but the crop (click it): the store orders all results."

def decode_off_the_connection(crops: dict[int, tuple[str, bytes]],
                              show: Callable[[dict[int, QImage]], object]) -> None:
    """``decode_thumbnails`` on a pool task that holds no store connection, then ``show``
    on the GUI thread (a failed decode shows nothing)."""
    run_task(decode_thumbnails, crops, on_result=show, on_error=lambda _exc: None)


def decode_thumbnails(crops: dict[int, tuple[str, bytes]]) -> dict[int, QImage]:
    """Small QImages from stored crops, decoded on the worker (QImage is not a widget). A crop
    too large, too big in pixels or undecodable gets no thumbnail, never an error."""
    out: dict[int, QImage] = {}
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    for rid, (_fmt, data) in crops.items():
        if not data or len(data) > MAX_THUMB_BYTES:
            continue
        buf = QBuffer()
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buf)
        size = reader.size()
        if not size.isValid() or size.width() * size.height() > MAX_THUMB_PIXELS:
            continue
        reader.setScaledSize(size.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
        img = reader.read()
        if not img.isNull():
            out[rid] = img
    return out


class ProblemLabel(QLabel):
    """The red line under the plate field: takes no room while there is nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()


class SearchView(QWidget):
    open_images_requested = Signal(int)  # read id: the image viewer opens it
    open_rows_requested = Signal(int, object)  # read id, rows to step through (batch)
    change_purpose_requested = Signal()  # when no purpose dialog can be opened here
    status_message = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None, *,
                 page_size: int = DEFAULT_PAGE_SIZE) -> None:
        super().__init__(parent)
        self.controller = controller
        self.page_size = page_size
        self._generation = 0
        self._interrupt: QueryInterrupt | None = None
        self._counting: QueryInterrupt | None = None  # the running count's connection
        self._found: str | None = None  # the counts in words; None until they arrive
        self._count_note = ""  # the count's time, shown with the first page only
        self._count_problem = ""  # why the total was not counted, as a sentence
        self._first_rows = 0  # rows of the first page: more shown means later pages
        self._shown: tuple[Page, float] | None = None  # the last page and its time (ms)
        self._started = 0.0
        self._sort: tuple[SortColumn, bool] = (SortColumn.BEST, False)
        self._last_query: SearchQuery | None = None
        self._keep_read_id: int | None = None  # the read to select again after a re-sort
        self._seek_pages = 0
        self.purpose_dialog: Any = None
        self.batch_dialog: BatchSearchDialog | None = None
        # Searches and their pages run on one connection kept between them (issue 20): a
        # new connection per page parsed the schema and started with a cold page cache
        # (about 5 ms of CPU a page). Opened on the first search, closed at lock and sign-out.
        self._pagers: list[DedicatedServices] = []
        self._warming: list[QueryInterrupt] = []  # the kept connection's warm-up
        pagers, warming = self._pagers, self._warming
        self.destroyed.connect(lambda *_: _close_pagers(pagers, warming))

        # -- purpose banner
        self.banner = QFrame()
        self.banner.setObjectName("searchPurposeBanner")
        self.purposeLabel = QLabel()
        self.purposeLabel.setObjectName("searchPurposeLabel")
        self.purposeLabel.setWordWrap(True)
        self.purposeLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.changeButton = QPushButton("C&hange…")
        self.changeButton.clicked.connect(self.open_purpose_dialog)
        self.endButton = QPushButton("&End Purpose")
        self.endButton.clicked.connect(self.end_purpose)
        banner_row = QHBoxLayout(self.banner)
        banner_row.addWidget(self.purposeLabel, 1)
        banner_row.addWidget(self.changeButton)
        banner_row.addWidget(self.endButton)

        # -- pattern row
        plate_label = QLabel("&Plate:")
        self.plateEdit = QLineEdit()
        self.plateEdit.setObjectName("plateEdit")
        self.plateEdit.setMaxLength(64)
        self.plateEdit.setPlaceholderText("7ABC123, 7AB*, 7?BC12?")
        plate_label.setBuddy(self.plateEdit)
        self.modeCombo = QComboBox()
        for mode in Mode:
            self.modeCombo.addItem(mode.label, mode)
            self.modeCombo.setItemData(self.modeCombo.count() - 1, mode.label,
                                       Qt.ItemDataRole.ToolTipRole)
        self.modeCombo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.modeCombo.setMinimumContentsLength(16)
        self.searchButton = QPushButton("&Search")
        self.searchButton.clicked.connect(self.search)
        self.plateEdit.returnPressed.connect(self.search)
        row = QHBoxLayout()
        row.addWidget(plate_label)
        row.addWidget(self.plateEdit, 1)
        row.addWidget(self.modeCombo)
        row.addWidget(self.searchButton)
        self.batchButton = QPushButton("&Batch…")
        self.batchButton.setToolTip("Search a list of plates (pasted, or a text or CSV file) "
                                    "under the active purpose.")
        self.batchButton.clicked.connect(self.open_batch)
        row.addWidget(self.batchButton)
        # One line of syntax; the whole explanation is its tooltip and the plate field's.
        self.helpLabel = QLabel(PATTERN_SHORT)
        self.helpLabel.setWordWrap(True)
        self.helpLabel.setTextFormat(Qt.TextFormat.RichText)
        self.helpLabel.setObjectName("patternHelp")
        self.helpLabel.setToolTip(PATTERN_HELP)
        self.plateEdit.setToolTip(PATTERN_HELP)
        self.problemLabel = ProblemLabel()
        self.problemLabel.setObjectName("patternProblem")
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel.setWordWrap(True)
        self.filters = FilterPanel()
        self.filters.setCheckable(True)
        self.filters.setChecked(False)
        self.filters.setToolTip("Tick to filter the search; unticked, the filters are hidden "
                                "and not applied.")
        self.filters.fold(True)  # unticked filters fold away: room for results
        self.filters.toggled.connect(lambda on: self.filters.fold(not on))

        # -- results and details
        self.model = ReadResultsModel(self)
        self.table = QTableView()
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.model)
        self.resultsView = self.table  # the name the investigation screen's tests use
        self.table.setSortingEnabled(False)  # no initial sort: best match first
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)  # one line a row; long cells elide (full text in details)
        self._fit_columns = False
        self.table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(THUMB_SIZE)
        self.table.verticalHeader().setDefaultSectionSize(THUMB_SIZE.height() + 4)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(THUMB, THUMB_SIZE.width() + 8)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_images())
        self.details = QTextBrowser()
        self.details.setObjectName("readDetails")
        self.openImagesButton = QPushButton("Open &Images…")
        self.openImagesButton.setEnabled(False)
        self.openImagesButton.clicked.connect(self.open_images)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Selected read"))
        side_layout.addWidget(self.details, 1)
        side_layout.addWidget(self.openImagesButton)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("searchStatus")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(row)
        layout.addWidget(self.helpLabel)
        layout.addWidget(self.problemLabel)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.statusLabel)
        self.model.reads_dropped.connect(lambda n: self._set_status(
            f"{n} read{'s' if n != 1 else ''} deleted under retention (policy §8) "
            f"{'were' if n != 1 else 'was'} removed from these results."))

        self.table.setAccessibleName("Search results")
        self.details.setAccessibleName("Details of the selected read")
        self.modeCombo.setAccessibleName("Match mode")
        self.modeCombo.setToolTip("How the plate is matched: exact, wildcard, contains or fuzzy")
        self.openShortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self.open_images)
            self.openShortcuts.append(sc)
        self.resultsShortcut = QShortcut(QKeySequence("Alt+R"), self)
        self.resultsShortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.resultsShortcut.activated.connect(self.focus_results)
        self.table.setToolTip("Enter or a double-click opens the selected read's images; "
                              "click a heading to sort all results by it.")
        for a, b in ((self.plateEdit, self.modeCombo), (self.modeCombo, self.searchButton),
                     (self.searchButton, self.batchButton), (self.batchButton, self.filters),
                     (self.table, self.openImagesButton),
                     (self.openImagesButton, self.changeButton),
                     (self.changeButton, self.endButton)):
            QWidget.setTabOrder(a, b)

        self.findShortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.findShortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.findShortcut.activated.connect(self.focus_plate)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.sort_requested.connect(self.resort)
        self.model.fetch_failed.connect(self._failed_page)
        self.model.thumbnails_wanted.connect(self._load_thumbnails)
        controller.purpose_changed.connect(self.show_purpose)
        controller.locked.connect(self.clear_data)
        controller.signed_out.connect(self.clear_data)
        self.show_purpose(controller.purpose)
        self.load_cameras()
        self._warm_soon()
        name_controls(self)

    # -- purpose -----------------------------------------------------------------------------
    def show_purpose(self, purpose: ActivePurpose | None) -> None:
        active = purpose is not None
        self.banner.setStyleSheet(ACTIVE_STYLE if active else NONE_STYLE)
        if purpose is not None:
            p = purpose.purpose
            self.purposeLabel.setText(
                f"Active purpose: {p.category.label} · {p.offense} · case {p.case_number}")
            self.purposeLabel.setToolTip(p.narrative)
            self.changeButton.setText("C&hange…")
        else:
            self.purposeLabel.setText("No active purpose. Declare the purpose of this "
                                      "investigation before any search (policy §3).")
            self.purposeLabel.setToolTip("")
            self.changeButton.setText("&Declare Purpose…")
            self.clear_data()
        self.endButton.setEnabled(active)
        self.searchButton.setEnabled(active)  # Enter without a purpose asks for one instead
        self.batchButton.setEnabled(active)

    def open_purpose_dialog(self) -> None:
        """The Access GUI's purpose dialog, loaded with the case formats on a worker."""
        try:
            from alpr_desktop.gui.dialogs.purpose import PurposeDialog
        except ImportError:  # pragma: no cover - the dialog ships with the Access GUI
            self.change_purpose_requested.emit()
            return

        session = self.controller.session
        contractor = session is not None and Role.CONTRACTOR in session.roles

        def load(s: Any, ctx: Any) -> tuple[Any, Any]:
            perms = s.permissions.my_active_permissions(ctx) if contractor else []
            return s.settings.case_formats(), perms

        def loaded(result: tuple[Any, Any]) -> None:
            formats, perms = result
            purpose = self.controller.purpose
            dialog = PurposeDialog(self, self.controller, case_formats=formats,
                                   permissions=perms,
                                   current=purpose.purpose if purpose else None)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.declared.connect(lambda _p: self._after_purpose())
            self.purpose_dialog = dialog
            dialog.open()

        self.controller.run(load, loaded, self._show_failure)

    def end_purpose(self) -> None:
        """The investigation is over: end the purpose (the results go with it)."""
        from alpr_desktop.gui.access_feedback import show_problem

        self.controller.end_purpose(lambda _r: None, lambda exc: show_problem(self, exc))

    # -- the form across a lock -------------------------------------------------------------
    def form_state(self) -> dict[str, Any]:
        """The search form (pattern, mode, filters, order) and whether results were shown:
        kept in memory across a lock, so unlocking brings the form back and searches again
        (a new logged search). No read data is in it."""
        return {
            "plate": self.plateEdit.text(), "mode": self.modeCombo.currentIndex(),
            "filters_on": self.filters.isChecked(), "filters": self.filters.state(),
            "sort": self._sort, "searched": self._last_query is not None,
        }

    def restore_form(self, state: dict[str, Any]) -> None:
        self.plateEdit.setText(state["plate"])
        self.modeCombo.setCurrentIndex(state["mode"])
        self.filters.setChecked(state["filters_on"])
        self.filters.restore(state["filters"])
        self._sort = state["sort"]
        self._show_sort_indicator()
        if state["searched"] and self.controller.purpose is not None:
            self.search()

    # -- searching ---------------------------------------------------------------------------
    def _after_purpose(self) -> None:
        """The purpose is declared: the next thing to type is the plate."""
        self.window().activateWindow()
        self.focus_plate()

    def focus_plate(self) -> None:
        self.plateEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.plateEdit.selectAll()

    def focus_results(self) -> None:
        """Alt+R: to the results, on the selected row (the first if none)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def current_query(self) -> SearchQuery:
        """The form as a query; raises PatternError or SearchInputError with a sentence."""
        mode = self.modeCombo.currentData()
        parse(self.plateEdit.text(), mode)  # refuse early, before any worker
        column, descending = self._sort
        return SearchQuery(self.plateEdit.text(), mode, self.current_filters(), self.page_size,
                           column, descending)

    def search(self) -> None:
        """Start a search, superseding any running one. The previous results leave the
        screen at once, also when the form cannot be searched (the problem says why)."""
        if self.controller.purpose is None:
            self.open_purpose_dialog()
            return
        self._keep_read_id = None
        try:
            query = self.current_query()
        except (PatternError, SearchInputError) as exc:
            self._clear_results()  # the kept connection stays open, its cache warm
            self.problemLabel.setText(str(exc))
            self._set_status("Nothing was searched: change what the red line says and "
                             "search again.")
            return
        self._run_query(query)

    def _run_query(self, query: SearchQuery) -> None:
        self.problemLabel.clear()
        self._last_query = query
        self._seek_pages = 0
        self.cancel()
        self._generation += 1
        generation = self._generation
        interrupt = QueryInterrupt()
        self._interrupt = interrupt
        self._started = _time.perf_counter()
        self._set_status(f"Searching {query.pattern().describe()}…")
        self.model.clear()
        self._show_details(None)
        self._fit_columns = True

        def work(s: Any, ctx: Any) -> Page:
            interrupt.attach(s)
            try:
                return s.search.search(ctx, query, count=False)
            finally:
                interrupt.detach()

        def done(page: Page) -> None:
            if generation != self._generation:
                return
            self._interrupt = None
            self._found = None if page.total is None else found_text(page)
            self._count_note = self._count_problem = ""
            self._first_rows = len(page.rows)
            counting = None
            if page.total is None and page.next_cursor is not None:
                counting = self._counting = QueryInterrupt()  # the status says "counting…"
            self.model.start(page, self._fetcher(query, generation))  # asks for thumbnails
            if counting is not None and page.next_cursor is not None:
                self._count(query, page.next_cursor, generation, counting)  # queued after

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._interrupt = None
            self.model.clear()
            self._show_details(None)
            self._set_status("The search did not run: " + _what_to_change(exc))
            self._show_failure(exc)

        self._run_search(work, done, failed)

    def _pager(self) -> DedicatedServices:
        """The kept search connection, opened on first need. Its first job reads the big
        tables' upper index pages into its cache (SearchService.warm_pages), so that the
        first searches do not read them one by one; searches queue behind it. The lock and
        sign-out stop the warm-up (seconds on a large store out of the OS cache) rather
        than wait for it."""
        if not self._pagers:
            self._pagers.append(self.controller.dedicated())
            stop = QueryInterrupt()
            self._warming.append(stop)

            def warm(s: Any, _ctx: Any) -> int:
                _keep(s)
                stop.attach(s)
                try:
                    return int(s.search.warm_pages(lambda: stop.interrupted))
                finally:
                    stop.detach()

            self.controller.run_dedicated(self._pagers[0], warm, lambda _n: None,
                                          lambda _exc: None)  # a search tells any failure
        return self._pagers[0]

    def _warm_soon(self) -> None:
        """Open the kept connection and warm it while the user types the first search."""
        if self.controller.session is not None:
            self._pager()

    def _run_search(self, work: Callable[[Any, Any], Any], on_result: Callable[[Any], object],
                    on_error: Callable[[BaseException], object]) -> Any:
        pager = self._pager()

        def light(s: Any, ctx: Any) -> Any:
            _keep(s)
            return work(s, ctx)

        return self.controller.run_dedicated(pager, light, on_result, on_error)

    def run_kept(self, work: Work, on_result: OnResult, on_error: OnError) -> Any:
        """``work`` from a window this screen opens (batch search, image viewer, plate
        profile, map) on the kept search connection, queued with the searches: each of
        them logs what it shows, and a commit on any other connection would make SQLite
        drop the kept connection's page cache before the next search (1.3-1.6x as long at
        10M and 100M reads, benchmarks/search_cache_bench.py)."""
        return self._run_search(work, on_result, on_error)

    def _count(self, query: SearchQuery, cursor: str, generation: int,
               interrupt: QueryInterrupt) -> None:
        """Count the search whose first page came without its counts: a logged call of its
        own on the kept connection, after the page and its thumbnails. A newer search, a
        re-sort, the lock or sign-out make its answer stale (``generation``) and interrupt
        it (``interrupt``, the view's ``_counting`` from the page on)."""

        def work(s: Any, ctx: Any) -> SearchCount:
            interrupt.attach(s)
            try:
                if interrupt.interrupted:  # stale before it started: count nothing
                    raise Cancelled("a newer search superseded the count")
                return s.search.count(ctx, query, cursor)
            finally:
                interrupt.detach()

        def current() -> bool:
            return shiboken6.isValid(self) and generation == self._generation

        def done(counted: SearchCount) -> None:
            if not current():
                return
            self._counting = None
            self._found = counts_text(counted.total, counted.total_capped,
                                      counted.plates_found, counted.plates_capped)
            self._count_note = f", counted in {counted.elapsed_ms:.0f} ms"
            self._show_found()

        def failed(exc: BaseException) -> None:
            if not current():
                return
            self._counting = None
            why = _what_to_change(exc).rstrip(".")
            self._count_problem = f"The total was not counted: {why}. "
            self._show_found()

        self._run_search(work, done, failed)

    def cancel(self) -> None:
        """Make the running search (and its count) stale and stop their queries."""
        self._generation += 1
        for running in (self._interrupt, self._counting):
            if running is not None:
                running.interrupt()
        self._interrupt = self._counting = None

    @property
    def searching(self) -> bool:
        return self._interrupt is not None

    @property
    def counting(self) -> bool:
        """Whether the shown search's count is still running."""
        return self._counting is not None

    def _fetcher(self, query: SearchQuery, generation: int) -> Callable[..., Any]:
        def fetch(cursor: str, on_page: Callable[[Page], None],
                  on_error: Callable[[BaseException], None]) -> Any:
            if generation != self._generation:
                return None

            def work(s: Any, ctx: Any) -> Page:
                return s.search.search(ctx, query, cursor, count=False)

            self._started = _time.perf_counter()
            return self._run_search(work, on_page, on_error)

        return fetch

    def _page_loaded(self, page: Page) -> None:
        ms = (_time.perf_counter() - self._started) * 1000
        if self._fit_columns and page.rows:
            self._fit_columns = False
            self.fit_columns()
        self._shown = (page, ms)
        self._show_found()
        self.statusLabel.setToolTip(f"Plan: {page.plan}")
        self._reselect(page)

    def _show_found(self) -> None:
        """The status line for the last page loaded: the counts once known (the rows
        shown while counting), the order, the page's time and the count's."""
        if self._shown is None:
            return
        page, ms = self._shown
        shown = self.model.rowCount()
        if self._found is None:
            text = f"{shown:,}+ read{'s' if shown != 1 else ''} found" + (
                ", counting…" if self.counting else "")
        else:
            text = self._found + (f"; {shown:,} shown" if shown > self._first_rows else "")
        more = "; scroll for more" if page.has_more else ""
        order = "" if page.sort is SortColumn.BEST else (
            f", sorted by {page.sort.value}{' (descending)' if page.descending else ''}")
        note = self._count_note if shown <= self._first_rows else ""
        self._set_status(f"{text}{order} in {ms:.0f} ms{note}{more}. {self._count_problem}"
                         "This search is logged.")

    def _failed_page(self, exc: BaseException) -> None:
        self._keep_read_id = None
        self._set_status("The next page did not load: " + _what_to_change(exc))
        self._show_failure(exc)

    def _reselect(self, page: Page) -> None:
        """After a re-sort, select the read that was selected before: in the pages loaded,
        or in the next few (each a logged page), else say where it went."""
        rid = self._keep_read_id
        if rid is None:
            return
        row = self.model.row_of(rid)
        if row >= 0:
            self._keep_read_id = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            return
        if page.has_more and self._seek_pages < SEEK_PAGES:
            self._seek_pages += 1
            self.model.fetchMore()
            return
        self._keep_read_id = None
        self._set_status(self.statusLabel.text() + f" Read #{rid} is further down in this "
                         "order.")

    def _set_status(self, text: str) -> None:
        self.statusLabel.setText(text)
        self.status_message.emit(text)

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, (PatternError, SearchInputError)):
            self.problemLabel.setText(str(exc))
            return
        from alpr_desktop.gui.access_feedback import show_problem

        show_problem(self, exc, title="Search Refused")

    def open_batch(self) -> BatchSearchDialog | None:
        if self.controller.purpose is None:
            self.open_purpose_dialog()
            return None
        dialog = BatchSearchDialog(self, self.controller, self.current_filters,
                                   run=self.run_kept)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_images_requested.connect(self.open_rows_requested)
        self.batch_dialog = dialog
        dialog.show()
        return dialog

    def current_filters(self) -> Filters:
        return self.filters.filters() if self.filters.isChecked() else Filters()

    def fit_columns(self) -> None:
        """Size the columns to the first page (headers included), long ones capped so the
        table stays readable; the crop column keeps the thumbnail's width."""
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            if col == THUMB:
                header.resizeSection(col, THUMB_SIZE.width() + 8)
                continue
            self.table.resizeColumnToContents(col)
            header.resizeSection(col, min(header.sectionSize(col), MAX_COLUMN_WIDTH))

    # -- thumbnails, sorting, details --------------------------------------------------------
    def _load_thumbnails(self, read_ids: list[int]) -> None:
        """The rows' plate crops, on the kept search connection: their log entry committed
        on any other connection would make SQLite drop that connection's whole page cache
        before the next search (a changed WAL resets it), and searches after such a commit
        took 1.3-1.6x as long at 10M and 100M reads (benchmarks/search_cache_bench.py).
        Decoded on a task of their own, so the next page does not wait for the pixels."""
        generation = self.model.generation

        def work(s: Any, ctx: Any) -> dict[int, tuple[str, bytes]]:
            return s.search.plate_crops(ctx, read_ids)

        def show(imgs: dict[int, QImage]) -> None:
            self.model.set_thumbnails(imgs, generation)

        def read(crops: dict[int, tuple[str, bytes]]) -> None:
            if generation == self.model.generation:  # else a newer search or a lock cleared
                decode_off_the_connection(crops, show)

        self._run_search(work, read, lambda _exc: None)  # a missing one is not worth a dialog

    def _header_clicked(self, section: int) -> None:
        """First click sorts ascending, the next descending, the third back to best match;
        every order is the engine's over all results (a new logged search)."""
        column = SORTABLE.get(section)
        if column is None:
            self._set_status(SORT_HINT)
            self._show_sort_indicator()
            return
        current, descending = self._sort
        if current is not column:
            self.resort(column, False)
        elif not descending:
            self.resort(column, True)
        else:
            self.resort(SortColumn.BEST, False)

    def resort(self, column: SortColumn, descending: bool) -> None:
        """Search again in this order, keeping the selected read selected."""
        self._sort = (SortColumn(column), bool(descending) and column is not SortColumn.BEST)
        self._show_sort_indicator()
        selected = self.selected_row()
        if self._last_query is None:
            return
        q = self._last_query
        self._keep_read_id = selected.read.id if selected is not None else None
        self._run_query(SearchQuery(q.text, q.mode, q.filters, q.page_size, *self._sort))

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        column, descending = self._sort
        section = COLUMN_OF.get(column, -1)
        header.setSortIndicator(section, Qt.SortOrder.DescendingOrder if descending
                                else Qt.SortOrder.AscendingOrder)

    def _selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_details(self.model.row_at(rows[0].row()) if rows else None)

    def selected_row(self) -> SearchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _show_details(self, row: SearchRow | None) -> None:
        self.openImagesButton.setEnabled(row is not None)
        if row is None:
            self.details.clear()
            return
        r = row.read
        cands = ", ".join(f"{p} ({confidence_text(c)})" for p, c in r.candidates) or "none"
        lines = [
            ("Plate", r.plate_norm + (f" (read as {r.plate})" if r.plate != r.plate_norm
                                      else "")),
            ("Match", row.kind.label + (f": {row.matched_plate}"
                                        if row.matched_plate != r.plate_norm else "")),
            ("Time", format_local(r.recorded_at * 1000)),
            ("Time (UTC)", format_utc(r.recorded_at)),
            ("State", state_text(r.state)), ("Camera", r.camera_name), ("Location", r.location),
            ("Direction", r.direction), ("Make", r.make), ("Model", r.model),
            ("Color", r.color), ("Body type", r.body_type),
            ("Speed", "" if r.speed is None else f"{r.speed:.0f} mph"),
            ("Confidence", confidence_text(r.confidence)),
            ("Alternates", cands), ("Read id", str(r.id)),
        ]
        from html import escape

        self.details.setHtml("<table>" + "".join(
            f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in lines
        ) + "</table>")

    def open_images(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_images_requested.emit(row.read.id)

    # -- cameras and teardown ----------------------------------------------------------------
    def load_cameras(self) -> None:
        if self.controller.session is None:
            return

        def work(s: Any, ctx: Any) -> list[Camera]:
            return s.search.cameras()

        self.controller.run(work, self.filters.set_cameras, lambda _exc: None)

    def clear_data(self) -> None:
        """Drop every read and thumbnail from memory and screen; close the search
        connection (the next search opens another)."""
        self._clear_results()
        _close_pagers(self._pagers, self._warming)

    def _clear_results(self) -> None:
        """The results off the screen and out of memory, any search stopped."""
        self.cancel()
        self.model.clear()
        self._show_details(None)
        self._shown = None
        self.statusLabel.clear()
        self.problemLabel.clear()
        self._last_query = None


def _keep(s: Any) -> None:
    """The kept connection's commits (each page's log entry) carry no WAL checkpoint, and it
    keeps the pages its searches decrypted (both idempotent)."""
    s.search.defer_checkpoints()
    s.search.keep_pages_cached()


def _close_pagers(pagers: list[DedicatedServices], warming: list[QueryInterrupt]) -> None:
    """Stop their warm-up, and close the search connections on a worker: a page query may
    still hold one."""
    for stop in warming:
        stop.interrupt()
    warming.clear()
    for pager in pagers:
        run_task(pager.close, on_result=lambda _r: None, on_error=lambda _e: None)
    pagers.clear()


def found_text(page: Page) -> str:
    """ "5 reads found (1 plate)": the reads and the distinct plates they hold."""
    total = page.total if page.total is not None else len(page.rows)
    return counts_text(total, page.total_capped, page.plates_found, page.plates_capped)


def counts_text(total: int, capped: bool, plates: int | None, plates_capped: bool) -> str:
    """ "1,234 reads found (56 plates)", a "+" where counting stopped at the cap."""
    reads = f"{total:,}{'+' if capped else ''} read{'s' if total != 1 else ''}"
    if plates is None:
        return f"{reads} found"
    shown = f"{plates:,}{'+' if plates_capped else ''} plate{'s' if plates != 1 else ''}"
    return f"{reads} found ({shown})"


def _what_to_change(exc: BaseException) -> str:
    """One sentence on what to do next, for the status line under a failed search."""
    from alpr_desktop.core.access_errors import AccessError, PurposeRequired

    if isinstance(exc, (PatternError, SearchInputError)):
        return str(exc)
    if isinstance(exc, PurposeRequired):
        return "declare a purpose (Change…) and search again."
    if isinstance(exc, AccessError):
        return str(exc)
    return "try again; if it keeps failing, narrow the search (more plate characters or a " \
           "shorter time window)."


BATCH_HEADERS = ["Plate", "Time (local)", "Camera · location", "Vehicle", "Reads"]
BATCH_EXPAND_AT_MOST = 200  # reads: smaller results open with every plate expanded


class BatchSearchDialog(QDialog):
    """A list of plates searched under the active purpose in one logged query; results are
    grouped by plate (a tree: ← / → fold and unfold a plate), each read with its full local
    date and time; Enter or a double-click opens a read in the image viewer, stepping through
    the batch's reads. Plates without reads are listed as such. Not modal, so the viewer it
    opens can be used beside it."""

    open_images_requested = Signal(int, object)  # read id, the batch's rows (SearchRow list)

    def __init__(self, parent: QWidget | None, controller: Controller,
                 filters: Callable[[], Filters], *, run: RunWork | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Batch Plate Search")
        self.setObjectName("batchDialog")
        self.controller = controller
        self._run = controller.run if run is None else run  # the search screen's: run_kept
        self._filters = filters
        self.batch_result: BatchResult | None = None
        self.listEdit = QPlainTextEdit()
        self.listEdit.setPlaceholderText("One plate per line, or paste a CSV column.")
        list_label = QLabel("&Plates to search:")
        list_label.setBuddy(self.listEdit)
        self.loadButton = QPushButton("&Load File…")
        self.loadButton.clicked.connect(self.load_file)
        self.runButton = QPushButton("&Search All")
        self.runButton.setDefault(True)
        self.runButton.clicked.connect(self.run)
        self.messageLabel = QLabel()
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setObjectName("batchResults")
        self.tree.setHeaderLabels(BATCH_HEADERS)
        self.tree.setAccessibleName("Batch results, by plate")
        self.tree.setToolTip("← / → fold or unfold a plate; Enter or a double-click opens a "
                             "read's images.")
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.openButton = QPushButton("Open &Images…")
        self.openButton.setEnabled(False)
        self.openButton.clicked.connect(lambda: self._activated(self.tree.currentItem(), 0))
        self.tree.currentItemChanged.connect(
            lambda item, _old: self.openButton.setEnabled(self._read_id(item) is not None))
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.tree)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self._activated(self.tree.currentItem(), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.openButton, QDialogButtonBox.ButtonRole.ActionRole)
        top = QHBoxLayout()
        top.addWidget(self.loadButton)
        top.addStretch(1)
        top.addWidget(self.runButton)
        layout = QVBoxLayout(self)
        layout.addWidget(list_label)
        layout.addWidget(self.listEdit, 1)
        self.listEdit.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        layout.addLayout(top)
        layout.addWidget(self.messageLabel)
        layout.addWidget(self.tree, 4)
        layout.addWidget(buttons)
        self.setModal(False)
        name_controls(self)
        self.resize(900, 640)

    def load_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Plate List", "",
                                              "Plate lists (*.txt *.csv);;All files (*)")
        if path:
            self.load_path(path)

    def load_path(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                text = fh.read(MAX_LIST_BYTES + 1)
        except OSError as exc:
            self.messageLabel.setText(f"The file could not be read: {exc.strerror or exc}.")
            return
        if len(text) > MAX_LIST_BYTES:
            self.messageLabel.setText("The file is too large for a plate list.")
            return
        self.listEdit.setPlainText(text)

    def run(self, filters: Filters | None = None) -> None:
        """Search the list with the search screen's filters, or with ``filters`` (a batch
        from "My searches" runs again with the filters it was logged with)."""
        try:
            plates = parse_plate_list(self.listEdit.toPlainText())
            filters = filters if isinstance(filters, Filters) else self._filters()
        except SearchInputError as exc:
            self.messageLabel.setText(str(exc))
            return
        if not plates.plates:
            self.messageLabel.setText("The list holds no usable plate. "
                                      + " ".join(plates.problems[:3]))
            return
        skipped = (f" Skipped {len(plates.problems)} line(s): " + " ".join(plates.problems[:3])
                   if plates.problems else "")
        self.runButton.setEnabled(False)
        self.messageLabel.setText(f"Searching {len(plates.plates)} plates…{skipped}")

        def work(s: Any, ctx: Any) -> BatchResult:
            return s.search.batch_search(
                ctx, list(plates.plates), filters)

        def done(result: BatchResult) -> None:
            self.runButton.setEnabled(True)
            self.show_result(result)
            self.messageLabel.setText(
                f"{result.read_count:,} reads for {len(result.groups)} plates; "
                f"{len(result.plates_without_reads)} without reads. This search is logged."
                f"{skipped}")

        def failed(exc: BaseException) -> None:
            self.runButton.setEnabled(True)
            self.messageLabel.setText(str(exc) if isinstance(
                exc, (PatternError, SearchInputError)) else "The batch search did not run.")
            if not isinstance(exc, (PatternError, SearchInputError)):
                from alpr_desktop.gui.access_feedback import show_problem

                show_problem(self, exc, title="Search Refused")

        self._run(work, done, failed)

    def show_result(self, result: BatchResult) -> None:
        self.batch_result = result
        self.tree.clear()
        expand = result.read_count <= BATCH_EXPAND_AT_MOST
        for group in result.groups:
            n = len(group.rows)
            top = QTreeWidgetItem([group.plate, "" if n else "no reads", "", "",
                                   f"{n}{'+' if group.truncated else ''}"])
            for row in group.rows:
                r = row.read
                camera = f"{r.camera_name} · {r.location}" if r.location and \
                    r.location != r.camera_name else r.camera_name
                child = QTreeWidgetItem([
                    r.plate_norm, format_local(r.recorded_at * 1000), camera,
                    " / ".join(x for x in (r.make, r.model, r.color) if x), "",
                ])
                child.setData(0, Qt.ItemDataRole.UserRole, r.id)
                child.setToolTip(1, f"{format_utc(r.recorded_at)} (UTC)")
                child.setToolTip(2, camera)
                child.setToolTip(3, child.text(3))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(expand and n > 0)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for col, mode in ((0, QHeaderView.ResizeMode.ResizeToContents),
                          (1, QHeaderView.ResizeMode.ResizeToContents),
                          (2, QHeaderView.ResizeMode.Stretch),
                          (3, QHeaderView.ResizeMode.Stretch),
                          (4, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def rows(self) -> list[SearchRow]:
        """The batch's reads in the order shown (plate by plate)."""
        if self.batch_result is None:
            return []
        return [row for g in self.batch_result.groups for row in g.rows]

    @staticmethod
    def _read_id(item: QTreeWidgetItem | None) -> int | None:
        if item is None:
            return None
        value = item.data(0, Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def _activated(self, item: QTreeWidgetItem | None, _column: int) -> None:
        """Enter or double-click: a read opens in the viewer; a plate folds or unfolds."""
        rid = self._read_id(item)
        if rid is not None:
            self.open_images_requested.emit(rid, self.rows())
        elif item is not None and item.childCount():
            item.setExpanded(not item.isExpanded())
