"""Locate (issue 19): where and when a plate is usually seen. Places with their likelihood
and the sightings behind it, the weekday-by-hour heat-map of the plate profile (all places,
or the selected one), the likeliest camera-and-hour cells, and the reads in the shared table.

One gated call ("analysis.locate", plate and window logged) on a worker.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QWidget,
)

from alpr_desktop.core.locate import LocateRequest, LocateResult, PlaceFigure, TimeCell
from alpr_desktop.core.plate_profile import WEEKDAYS
from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui import purge_hook
from alpr_desktop.gui.analysis.cotravel_links import (
    AnalysisLinks,
    enter_opens,
    seconds,
    window_edits,
)
from alpr_desktop.gui.analysis.travel_window import TravelWindow
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.gui.models.view_rows import ReadRowsModel
from alpr_desktop.gui.widgets.heat_map import HeatMap
from alpr_desktop.gui.widgets.read_table import read_table


def _usually(p: PlaceFigure) -> str:
    wd, hr, n = p.busiest
    return f"{WEEKDAYS[wd]} {hr:02d}:00 ({n:,})"


class PlacesModel(RowsModel[PlaceFigure]):
    columns = (
        Column("Place", lambda p: p.camera_name, lambda p: p.location),
        Column("Likelihood", lambda p: f"{p.likelihood:.0%}",
               lambda p: "The share of the plate's sightings in the window seen here.", True),
        Column("Sightings", lambda p: f"{p.sightings:,}", None, True),
        Column("Days", lambda p: f"{p.days:,}",
               lambda p: "Distinct days (site time) with a sighting here.", True),
        Column("Most often", _usually),
    )


def cell_words(c: TimeCell) -> str:
    return (f"{WEEKDAYS[c.weekday]} {c.hour:02d}:00–{c.hour:02d}:59 at {c.camera_name}: "
            f"{c.sightings:,} of the {c.at_hour:,} sightings at that hour ({c.likelihood:.0%})")


class LocateWindow(TravelWindow):
    loaded = Signal()

    def __init__(self, controller: Controller, links: AnalysisLinks | None = None,
                 plate: str = "", parent: QWidget | None = None) -> None:
        super().__init__(controller, links, parent)
        self.setObjectName("locateWindow")
        self.setWindowTitle("Locate: where a plate is usually seen")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.found: LocateResult | None = None
        self.plateEdit = QLineEdit(plate)
        self.plateEdit.setObjectName("locatePlate")
        self.plateEdit.setMaxLength(16)
        self.plateEdit.returnPressed.connect(self.run)
        self.fromEdit, self.toEdit, when = window_edits(90)
        self.runButton = QPushButton("&Run")
        self.runButton.setDefault(True)
        self.runButton.clicked.connect(self.run)
        when.addWidget(self.runButton)
        form = QFormLayout()
        plate_label = QLabel("&Plate:")
        plate_label.setBuddy(self.plateEdit)
        form.addRow(plate_label, self.plateEdit)
        form.addRow("When (site time):", when)
        self.summary = QLabel()
        self.summary.setObjectName("locateSummary")
        self.summary.setWordWrap(True)

        self.placesModel = PlacesModel(self)
        self.places = read_table(self.placesModel, "locatePlaces",
                                 "Places, likeliest first", self.open_map)
        self.places.selectionModel().selectionChanged.connect(self._picked)
        self.heat = HeatMap()
        self.cellList = QListWidget()
        self.cellList.setObjectName("locateCells")
        self.cellList.setAccessibleName("Likeliest camera and hour of the week")
        self.model = ReadRowsModel(self)
        self.table = read_table(self.model, "locateReads", "Sightings at the selected place",
                                self.open_selected)
        tabs = QTabWidget()
        tabs.addTab(self.heat, "&Hour of week")
        tabs.addTab(self.cellList, "Likeliest &times")
        tabs.addTab(self.table, "&Sightings")
        self.tabs = tabs
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.places)
        split.addWidget(tabs)
        split.setSizes([460, 540])
        enter_opens(self.places, self.open_map)
        enter_opens(self.table, self.open_selected)
        self.finish_layout(
            [form, self.summary], split,
            "Name a plate and a window. The analysis is logged with the plate and the window.",
            "locateStatus")

    def request(self) -> LocateRequest:
        return LocateRequest(self.plateEdit.text(), seconds(self.fromEdit),
                             seconds(self.toEdit))

    def run(self) -> None:
        req = self.request()
        self.start(lambda s, ctx: s.travel.locate(ctx, req), "Counting the sightings…")

    def show_result(self, result: LocateResult) -> None:
        self.found = result
        self.runButton.setEnabled(True)
        self.placesModel.set_rows(result.places)
        self.places.resizeColumnsToContents()
        self.heat.set_cells(result.heatmap)
        self.cellList.clear()
        for c in result.cells:
            self.cellList.addItem(cell_words(c))
        self.model.set_rows(result.rows)
        top = result.places[0] if result.places else None
        self.summary.setText(
            f"{result.plate}: {result.total:,} sightings on {result.days_seen:,} days at "
            f"{len(result.places):,} places."
            + (f" Likeliest: {top.camera_name} ({top.likelihood:.0%}, {top.sightings:,} "
               f"sightings), most often {_usually(top)}." if top else "")
            + (" Only the newest reads are listed (the figures count them all)."
               if result.truncated else ""))
        self.statusLabel.setText(f"Logged as entry #{result.log_seq}. Select a place for its "
                                 "hours and sightings.")
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(result.rows))
        self.loaded.emit()

    def drop_reads(self, gone: frozenset[int]) -> int:
        """The listed sightings a purge deleted go (the figures above were counted when the
        analysis ran; the status line says reads were removed)."""
        left = self.rows_left(gone)
        if left is None:
            return 0
        f, rows = left
        self.found = replace(f, rows=rows)
        purge_hook.refresh(self.table, self.model, self.place_rows(self.selected_place()),
                           lambda r: r.read.id)
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(rows))
        return len(f.rows) - len(rows)

    def selected_place(self) -> PlaceFigure | None:
        rows = self.places.selectionModel().selectedRows()
        return self.placesModel.row_at(rows[0].row()) if rows else None

    def _picked(self, _s: QItemSelection, _d: QItemSelection) -> None:
        p = self.selected_place()
        if self.found is None:
            return
        self.heat.set_cells(p.heat if p else self.found.heatmap)
        self.model.set_rows(self.place_rows(p))
        self.table.resizeColumnsToContents()

    def place_rows(self, p: PlaceFigure | None) -> list[SearchRow]:
        if self.found is None:
            return []
        return [r for r in self.found.rows if p is None or r.read.camera_id == p.camera_id]

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        r = self.model.row_at(rows[0].row()) if rows else self.model.row_at(0)
        if r is not None and self.links is not None:
            self.links.open_viewer(r.read.id, self.model.rows)

    def open_map(self) -> None:
        if self.found is not None and self.links is not None:
            self.links.open_map(list(self.found.rows), f"Where {self.found.plate} is seen",
                                self.found.plate)

    def case_file(self) -> None:
        if self.found is None or self.links is None:
            return
        p = self.selected_place()
        words = f"Locate {self.found.plate}" + (f" at {p.camera_name}" if p else "")
        self.links.case_file(self.model.rows, words)


def open_locate(parent: QWidget, services: Controller, ctx: AnalysisLinks | None = None,
                plate: str = "") -> LocateWindow:
    """The locate window (``services``: the session's controller; ``ctx``: the links)."""
    w = LocateWindow(services, ctx, plate, parent)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.show()
    return w
