"""The contractor's home screen: import vendor exports (the wizard), what has been imported
(files and counts, from the import bookkeeping), and the cameras the store knows with their
read counts. Nothing here shows a read: the contractor sees reads and images only under the
City's written permission (policy §2), on the Investigation screen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.gui.views.maintenance_view import HealthPanel
from alpr_desktop.services.imports import CameraSummary, ImportedFile
from alpr_desktop.services.workstation import ServiceSet as Services

FORMAT_NAMES = {"delimited": "Delimited text", "openalpr": "OpenALPR JSON",
                "genetec": "Genetec XML"}


def _local(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(SITE_ZONE).strftime(
        "%Y-%m-%d %H:%M")


def _place(c: CameraSummary) -> str:
    if c.latitude is None or c.longitude is None:
        return c.location
    where = f"{c.latitude:.5f}, {c.longitude:.5f}"
    return f"{c.location} ({where})" if c.location else where


class ImportHistoryModel(RowsModel[ImportedFile]):
    columns = (
        Column("Started", lambda f: _local(f.started_ms)),
        Column("File", lambda f: f.name, tooltip=lambda f: f.name),
        Column("Format", lambda f: FORMAT_NAMES.get(f.format, f.format)),
        Column("Added", lambda f: f"{f.accepted:,}", align_right=True),
        Column("Already present", lambda f: f"{f.duplicates:,}", align_right=True),
        Column("Rejected", lambda f: f"{f.rejected:,}", align_right=True),
        Column("State", lambda f: f"Finished {_local(f.finished_ms)}" if f.finished
               else "Stopped; import the file again to finish"),
    )


class CamerasModel(RowsModel[CameraSummary]):
    columns = (
        Column("Camera", lambda c: c.name, tooltip=lambda c: c.name),
        Column("Reads", lambda c: f"{c.reads:,}", align_right=True),
        Column("Place", _place, tooltip=_place),
    )


def _table(model: RowsModel[Any], name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


class ContractorHome(QWidget):
    import_requested = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        heading = QLabel("<h3>Maintenance</h3>")
        intro = QLabel(
            "Look at the health signals and record the 30-day check (Maintenance Log), import "
            "the vendor's exports and check what each import added or refused. Reads and "
            "images are shown only under the City's written permission (policy §2).")
        intro.setWordWrap(True)
        self.importButton = QPushButton("&Import Reads…")
        self.importButton.setObjectName("homeImportButton")
        self.importButton.setToolTip("Open the import wizard (Ctrl+I).")
        self.importButton.clicked.connect(self.import_requested)
        self.refreshButton = QPushButton("Re&fresh")
        self.refreshButton.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.importButton)
        buttons.addStretch(1)
        buttons.addWidget(self.refreshButton)

        self.historyModel = ImportHistoryModel(self)
        self.historyTable = _table(self.historyModel, "importHistory")
        self.historyTable.setAccessibleName("Import history")
        for col, width in enumerate((120, 220, 110, 70, 110, 70)):
            self.historyTable.setColumnWidth(col, width)
        self.historyLabel = QLabel()
        self.historyLabel.setObjectName("historySummary")
        self.historyLabel.setTextFormat(Qt.TextFormat.PlainText)
        history = QGroupBox("Import &history")
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.historyTable, 1)
        history_layout.addWidget(self.historyLabel)

        self.camerasModel = CamerasModel(self)
        self.camerasTable = _table(self.camerasModel, "cameraList")
        self.camerasTable.setAccessibleName("Cameras")
        self.camerasTable.setColumnWidth(0, 260)
        self.camerasTable.setColumnWidth(1, 80)
        self.camerasLabel = QLabel()
        self.camerasLabel.setObjectName("camerasSummary")
        self.camerasLabel.setTextFormat(Qt.TextFormat.PlainText)
        cameras = QGroupBox("&Cameras")
        cameras_layout = QVBoxLayout(cameras)
        cameras_layout.addWidget(self.camerasTable, 1)
        cameras_layout.addWidget(self.camerasLabel)

        # Group boxes with a mnemonic move the focus to their table.
        for box, table in ((history, self.historyTable), (cameras, self.camerasTable)):
            box.setFocusProxy(table)
        self.healthPanel = HealthPanel(controller)  # issue 16: the signals, OVERDUE
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.healthPanel)
        self.splitter.addWidget(history)
        self.splitter.addWidget(cameras)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)

    def refresh(self) -> None:
        """Load the history and the cameras on a worker (the service checks the role)."""
        def work(s: Services, ctx: Any) -> tuple[list[ImportedFile], list[CameraSummary]]:
            return s.imports.history(ctx), s.imports.cameras(ctx)

        self.historyLabel.setText("Loading…")
        self.controller.run(work, self._loaded, lambda exc: show_problem(self, exc))
        self.healthPanel.refresh()

    def _loaded(self, result: tuple[list[ImportedFile], list[CameraSummary]]) -> None:
        files, cameras = result
        self.historyModel.set_rows(files)
        self.camerasModel.set_rows(cameras)
        if files:
            added = sum(f.accepted for f in files)
            noun = "file" if len(files) == 1 else "files"
            self.historyLabel.setText(
                f"{len(files):,} {noun} imported; {added:,} reads added in all.")
        else:
            self.historyLabel.setText("Nothing imported yet: use Import Reads… to add the "
                                      "vendor's first export.")
        self.camerasLabel.setText(
            f"{len(cameras):,} camera{'' if len(cameras) == 1 else 's'}." if cameras else
            "No cameras yet: each import adds the cameras its files name.")

    def clear_data(self) -> None:
        self.healthPanel.clear_data()
        self.historyModel.clear()
        self.camerasModel.clear()
