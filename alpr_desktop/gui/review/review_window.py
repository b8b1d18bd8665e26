"""The review-mode window: the extract's reads and the viewer, nothing else.

No search, no import, no purge, no other screen: the list holds every read the extract was
released with, and selecting one shows its plate crop and scene (each view logged in the
extract before it is shown). File ▸ Export Reviewer Log writes the signed log for the City.
Keyboard: the list has the focus, arrows move, the viewer follows; Ctrl+E exports, Ctrl+W
closes, F1 opens the help page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.extract import ExtractError, Reviewer
from alpr_desktop.core.models import Read
from alpr_desktop.gui import palette
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.errors import explain
from alpr_desktop.gui.help.help_window import HelpWindow
from alpr_desktop.gui.review.reads_model import ReviewReadsModel
from alpr_desktop.gui.widgets.image_pane import ImagePane
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services.images import OpenedRead
from alpr_desktop.services.review_extract_mode import ReviewSession, open_for_review

ChooseSave = Callable[[QWidget, str], str]
log = logging.getLogger(__name__)


def _choose_log_path(parent: QWidget, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Export Reviewer Log", suggested,
                                          "Reviewer log (*.alprreviewlog)")
    return path


class ReviewWindow(QMainWindow):
    closed = Signal()

    def __init__(self, session: ReviewSession, reviewer: Reviewer, *,
                 choose_save: ChooseSave | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.reviewer = session, reviewer
        self.choose_save = choose_save or _choose_log_path
        self.current: OpenedRead | None = None
        self._pending: int | None = None
        self._busy = False
        self.help_window: HelpWindow | None = None
        # One worker thread: the extract has one connection, used by one task at a time, in
        # the order asked (the last view, the export, then the sign-out and close).
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.last_export: Path | None = None
        self._closing = False
        m = session.manifest
        self.setWindowTitle(f"Review Extract — case {m.case_number} — {reviewer.name}")
        banner = QLabel(
            f"<b>Offline review extract</b> · case {m.case_number} · released to "
            f"{m.recipient_name}, {m.organization} · opens until the end of "
            f"{m.expires_on.isoformat()} · every view is logged")
        banner.setObjectName("reviewBanner")
        banner.setWordWrap(True)
        banner.setStyleSheet(f"QLabel {{ padding: 6px; background: {palette.NOTICE_BACKGROUND}; "
                             f"color: {palette.NOTICE_TEXT}; }}")
        self.model = ReviewReadsModel(self)
        self.table = QTableView()
        self.table.setObjectName("reviewReads")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.
                                                           ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Reads in this extract")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detailLabel = QLabel("Select a read to view it.")
        self.detailLabel.setObjectName("reviewDetail")
        self.detailLabel.setWordWrap(True)
        self.detailLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.detailLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.crop = ImagePane("Plate crop")
        self.overview = ImagePane("Scene")
        for pane in (self.crop, self.overview):
            pane.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        viewer = QWidget()
        right = QVBoxLayout(viewer)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.detailLabel)
        right.addWidget(self.crop, 1)
        right.addWidget(self.overview, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 440])
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("reviewStatus")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(banner)
        layout.addWidget(self.splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.statusLabel, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)
        self._build_menus()
        name_controls(self)
        self.load()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.exportAction = QAction("&Export Reviewer Log…", self)
        self.exportAction.setShortcut(QKeySequence("Ctrl+E"))
        self.exportAction.triggered.connect(self.export_log)
        self.closeAction = QAction("&Close Extract", self)
        self.closeAction.setShortcut(QKeySequence("Ctrl+W"))
        self.closeAction.triggered.connect(self.close)
        file_menu.addActions([self.exportAction, self.closeAction])
        help_menu = self.menuBar().addMenu("&Help")
        self.helpAction = QAction("Review Extract &Help", self)
        self.helpAction.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.helpAction.triggered.connect(self.show_help)
        help_menu.addAction(self.helpAction)

    # -- the list -------------------------------------------------------------------------------
    def load(self) -> None:
        self.statusLabel.setText("Loading the reads…")
        self._busy = True
        run_task(self.session.reads, self.reviewer, on_result=self._loaded,
                 on_error=self._failed, pool=self.pool)

    def _loaded(self, reads: list[Read]) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.model.set_rows(reads)
        self.statusLabel.setText(f"{len(reads):,} reads in this extract.")
        self.table.setFocus()
        if reads:
            self.table.selectRow(0)

    # -- the viewer -----------------------------------------------------------------------------
    def _selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        idx: list[QModelIndex] = selected.indexes()
        read = self.model.row_at(idx[0].row()) if idx else None
        if read is not None:
            self.open_read(read.id)

    def open_read(self, read_id: int) -> None:
        """Show a read; while one is being fetched, the latest request waits its turn (the
        extract has one connection, used by one worker at a time)."""
        if self._busy:
            self._pending = read_id
            return
        self._busy = True
        for pane in (self.crop, self.overview):
            pane.set_placeholder("Opening…")
        run_task(open_for_review, self.session, self.reviewer, read_id,
                 on_result=self._shown, on_error=self._failed, pool=self.pool)

    def _shown(self, opened: OpenedRead) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        self.current = opened
        r = opened.read
        self.detailLabel.setText(
            f"Read {r.id} · {r.plate} {r.state} · {format_local(r.recorded_at * 1000)} · "
            f"{r.camera_name}{', ' + r.location if r.location else ''} · "
            f"{' '.join(x for x in (r.color, r.make, r.model, r.body_type) if x) or '—'}")
        for pane, shown in ((self.crop, opened.crop), (self.overview, opened.overview)):
            if shown.decoded.ok and shown.decoded.image is not None:
                bbox = shown.checked.blob.bbox if shown.checked is not None else None
                pane.set_image(shown.decoded.image, bbox)
            else:
                pane.set_placeholder(shown.decoded.message)
        self.statusLabel.setText(f"Read {r.id} viewed (logged in the extract).")
        self._next()

    def _next(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            if self.current is None or pending != self.current.read.id:
                self.open_read(pending)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy = False
        text = str(exc) if isinstance(exc, ExtractError) else explain(exc).sentence
        self.statusLabel.setText(text)
        self.statusLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT, selector="QLabel"))
        for pane in (self.crop, self.overview):
            pane.set_placeholder(text)
        self._next()

    # -- the reviewer's log ---------------------------------------------------------------------
    def export_log(self) -> None:
        suggested = str(Path.home() / f"review-log-{self.session.manifest.extract_id[:8]}"
                        ".alprreviewlog")
        target = self.choose_save(self, suggested)
        if not target:
            return
        self.exportAction.setEnabled(False)
        run_task(self.session.export_log, self.reviewer, target,
                 on_result=self._exported, on_error=self._export_failed, pool=self.pool)

    def _exported(self, path: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self.exportAction.setEnabled(True)
        self.statusLabel.setStyleSheet("")
        self.statusLabel.setText(f"Reviewer log written to {path}. Send it to the City of "
                                 "Carson's custodian.")
        self.last_export = path

    def _export_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.exportAction.setEnabled(True)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export Reviewer Log",
                          str(exc) if isinstance(exc, ExtractError) else explain(exc).sentence,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_help(self) -> None:
        if self.help_window is None or not shiboken6.isValid(self.help_window):
            self.help_window = HelpWindow()
        self.help_window.show_topic("review-extract")
        self.help_window.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Sign out (logged) and close the extract, on the window's worker after whatever it
        is still doing."""
        if not self._closing:
            self._closing = True
            run_task(_sign_out_and_close, self.session, on_result=lambda _r: None,
                     on_error=lambda exc: log.warning("closing the extract: %s", exc),
                     pool=self.pool)
            self.closed.emit()
        super().closeEvent(event)


def _sign_out_and_close(session: ReviewSession) -> None:
    try:
        session.sign_out()
    finally:
        session.close()
