"""The analysis result window, shared by every analysis: a summary table above (plates per
place, ranked common plates, ...) and the shared read table below with the reads behind the
selected summary row (or all of them), which open in the image viewer, on the map and in the
case file. Nothing here queries: the window shows a result the gated service returned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui import purge_hook
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.analysis.host import AnalysisHost
from alpr_desktop.gui.models.table import RowsModel
from alpr_desktop.gui.models.view_rows import ReadRowsModel
from alpr_desktop.gui.widgets.read_table import read_table

ReadIdsOf = Callable[[Any], Sequence[int]]


class AnalysisResultWindow(QDialog):
    """``summary`` rows go in ``summary_model``; ``read_ids_of(row)`` names the reads behind
    a summary row; ``rows`` are every read the result holds (SearchRow)."""

    def __init__(self, host: AnalysisHost, title: str, summary_model: RowsModel[Any],
                 summary: Sequence[Any], rows: Sequence[SearchRow], read_ids_of: ReadIdsOf,
                 status: str, words: str, *, summary_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisResult")
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.host = host
        self.words = words
        self.read_ids_of = read_ids_of
        self.all_rows = list(rows)
        self._by_id = {r.read.id: r for r in rows}
        self.summaryModel = summary_model
        summary_model.set_rows(list(summary))
        self.summaryTable = QTableView()
        self.summaryTable.setObjectName("analysisSummary")
        self.summaryTable.setAccessibleName(summary_name)
        self.summaryTable.setModel(summary_model)
        self.summaryTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summaryTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.summaryTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summaryTable.horizontalHeader().setStretchLastSection(True)
        self.summaryTable.selectionModel().selectionChanged.connect(self._summary_selected)
        self.model = ReadRowsModel(self)
        self.table = read_table(self.model, "analysisReads",
                                "Reads behind the selected row, oldest first",
                                self.open_selected)
        self.allCheck = QCheckBox("Show &all reads of the result")
        self.allCheck.toggled.connect(self._show_reads)
        self.statusLabel = QLabel(status)
        self.statusLabel.setObjectName("analysisStatus")
        self.statusLabel.setWordWrap(True)
        self.openButton = QPushButton("Open &Images…")
        self.openButton.clicked.connect(self.open_selected)
        self.profileButton = QPushButton("All Sightings of &Plate…")
        self.profileButton.clicked.connect(self._profile)
        self.mapButton = QPushButton("&Map…")
        self.mapButton.clicked.connect(self.show_map)
        self.caseButton = QPushButton("Add to Case &File…")
        self.caseButton.clicked.connect(self.case_file)
        self.closeButton = QPushButton("Close")
        self.closeButton.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.allCheck)
        buttons.addStretch(1)
        for b in (self.openButton, self.profileButton, self.mapButton, self.caseButton,
                  self.closeButton):
            buttons.addWidget(b)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.summaryTable)
        split.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.statusLabel)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+M"), self, self.show_map)
        self.resize(1000, 660)
        host.controller.locked.connect(self.close)
        host.controller.signed_out.connect(self.close)
        host.controller.purpose_changed.connect(self._purpose_changed)
        purge_hook.listen(self.drop_reads, self.shown_read_ids)
        name_controls(self)
        self.summaryTable.resizeColumnsToContents()
        if summary:
            self.summaryTable.selectRow(0)
        else:
            self.allCheck.setChecked(True)
        self._show_reads()

    def _purpose_changed(self, _purpose: object) -> None:
        self.close()  # the reads belong to the purpose that ended

    def shown_read_ids(self) -> list[int]:
        return list(self._by_id)

    def drop_reads(self, gone: frozenset[int]) -> int:
        """Reads a purge deleted leave the result at once (issue 14): from the read table and
        from the result, and a summary row none of whose reads is left goes too. The number
        of reads removed."""
        n = sum(1 for r in self.all_rows if r.read.id in gone)
        if not n:
            return 0
        self.all_rows = list(purge_hook.living(self.all_rows, gone))
        self._by_id = {r.read.id: r for r in self.all_rows}
        summary = [s for s in self.summaryModel.rows
                   if not (ids := list(self.read_ids_of(s)))
                   or any(i in self._by_id for i in ids)]
        if len(summary) != self.summaryModel.rowCount():
            purge_hook.refresh(self.summaryTable, self.summaryModel, summary, id)
            if summary and not self.summaryTable.selectionModel().hasSelection():
                self.summaryTable.selectRow(0)
        self._show_reads()
        self.statusLabel.setText(purge_hook.removed_words(n))
        return n

    def _summary_selected(self, *_: object) -> None:
        if not self.allCheck.isChecked():
            self._show_reads()

    def selected_summary(self) -> Any:
        rows = self.summaryTable.selectionModel().selectedRows()
        return self.summaryModel.row_at(rows[0].row()) if rows else None

    def _show_reads(self, *_: object) -> None:
        if self.allCheck.isChecked():
            shown = self.all_rows
        else:
            s = self.selected_summary()
            ids = self.read_ids_of(s) if s is not None else []
            shown = [self._by_id[i] for i in ids if i in self._by_id]
            shown.sort(key=lambda r: (r.read.recorded_at, r.read.id))
        purge_hook.refresh(self.table, self.model, shown, lambda r: r.read.id)
        self.table.resizeColumnsToContents()
        for b in (self.openButton, self.mapButton, self.caseButton, self.profileButton):
            b.setEnabled(bool(shown))
        if shown and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def selected_row(self) -> SearchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        r = self.selected_row()
        if r is not None:
            self.host.open_viewer(r.read.id, self.model.rows)

    def _profile(self) -> None:
        r = self.selected_row()
        if r is not None:
            self.host.open_profile(r.read.plate_norm)

    def show_map(self) -> Any:
        return self.host.open_map(self.model.rows, "Map: " + self.words[:200])

    def case_file(self) -> Any:
        return self.host.case_file(self.model.rows, self.words)
