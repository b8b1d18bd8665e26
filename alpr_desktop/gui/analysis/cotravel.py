"""Co-travel (issue 19): the form, the plates found beside the plate, and each one's evidence
(the target's read and the other plate's, meeting by meeting) in the shared read table.

One gated call ("analysis.cotravel", every parameter logged) on a worker. The warning that
neighbours and co-workers show up stays on screen with the results.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from alpr_desktop.core.cotravel import (
    DEFAULT_MIN_CAMERAS,
    DEFAULT_MIN_OCCASIONS,
    DEFAULT_MIN_SHARE,
    DEFAULT_TOLERANCE_S,
    MAX_TOLERANCE_S,
    WARNING,
    CoTraveller,
    CoTravelRequest,
    CoTravelResult,
)
from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui import palette, purge_hook
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
from alpr_desktop.gui.widgets.read_table import read_table


class CoTravellersModel(RowsModel[CoTraveller]):
    columns = (
        Column("Plate", lambda t: t.plate),
        Column("Score", lambda t: f"{t.score:.1f}", lambda t: (
            "Each meeting counts log(1 + days in window / days this plate was at that camera "
            "around that time): a car seen there every day counts little."), True),
        Column("Occasions", lambda t: str(t.occasions), None, True),
        Column("Cameras", lambda t: str(t.cameras), None, True),
        Column("Beside it", lambda t: f"{t.share:.0%} of {t.reads_at_cameras:,}",
               lambda t: "Of this plate's reads at these cameras in the window, the share "
                         "that were beside the plate.", True),
        Column("Note", lambda t: "common at these cameras" if t.common else ""),
    )


class CoTravelWindow(TravelWindow):
    loaded = Signal()

    def __init__(self, controller: Controller, links: AnalysisLinks | None = None,
                 plate: str = "", parent: QWidget | None = None) -> None:
        super().__init__(controller, links, parent)
        self.setObjectName("coTravelWindow")
        self.setWindowTitle("Co-travel")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.found: CoTravelResult | None = None

        self.warning = QLabel(WARNING)
        self.warning.setObjectName("coTravelWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(palette.text_style(palette.WARNING_TEXT, bold=True))
        self.plateEdit = QLineEdit(plate)
        self.plateEdit.setObjectName("coTravelPlate")
        self.plateEdit.setMaxLength(16)
        self.plateEdit.returnPressed.connect(self.run)
        self.fromEdit, self.toEdit, when = window_edits()
        self.toleranceSpin = QSpinBox()
        self.toleranceSpin.setRange(1, MAX_TOLERANCE_S)
        self.toleranceSpin.setValue(DEFAULT_TOLERANCE_S)
        self.toleranceSpin.setSuffix(" s")
        self.toleranceSpin.setAccessibleName("Time tolerance, seconds either side")
        self.occasionsSpin = QSpinBox()
        self.occasionsSpin.setRange(1, 1000)
        self.occasionsSpin.setValue(DEFAULT_MIN_OCCASIONS)
        self.occasionsSpin.setAccessibleName("At least this many occasions")
        self.camerasSpin = QSpinBox()
        self.camerasSpin.setRange(1, 1000)
        self.camerasSpin.setValue(DEFAULT_MIN_CAMERAS)
        self.camerasSpin.setAccessibleName("At this many distinct cameras")
        self.commonCheck = QCheckBox("Also list plates &common at these cameras (marked)")
        self.runButton = QPushButton("&Run")
        self.runButton.setDefault(True)
        self.runButton.clicked.connect(self.run)
        limits = QHBoxLayout()
        for label, w in (("±", self.toleranceSpin), ("occasions ≥", self.occasionsSpin),
                         ("cameras ≥", self.camerasSpin)):
            limits.addWidget(QLabel(label))
            limits.addWidget(w)
        limits.addWidget(self.commonCheck)
        limits.addStretch(1)
        limits.addWidget(self.runButton)
        form = QFormLayout()
        plate_label = QLabel("&Plate:")
        plate_label.setBuddy(self.plateEdit)
        form.addRow(plate_label, self.plateEdit)
        form.addRow("When (site time):", when)
        form.addRow("Read beside it:", limits)

        self.model = CoTravellersModel(self)
        self.travellers = read_table(self.model, "coTravellers",
                                     "Plates read beside the plate, best score first",
                                     self.open_map)
        self.travellers.selectionModel().selectionChanged.connect(self._picked)
        self.evidence = ReadRowsModel(self)
        self.table = read_table(self.evidence, "coTravelEvidence",
                                "Evidence: both plates' reads at each meeting",
                                self.open_selected)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.travellers)
        split.addWidget(self.table)
        split.setSizes([420, 580])
        enter_opens(self.travellers, self.open_map)
        enter_opens(self.table, self.open_selected)
        self.finish_layout(
            [self.warning, form], split,
            "Name a plate and a window. The analysis is logged with every parameter.",
            "coTravelStatus")
        self.mapButton.setText("&Map and Routes…")

    def request(self) -> CoTravelRequest:
        return CoTravelRequest(self.plateEdit.text(), seconds(self.fromEdit),
                               seconds(self.toEdit), self.toleranceSpin.value(),
                               self.occasionsSpin.value(), self.camerasSpin.value(),
                               DEFAULT_MIN_SHARE, self.commonCheck.isChecked())

    def run(self) -> None:
        req = self.request()
        self.start(lambda s, ctx: s.travel.cotravel(ctx, req), "Looking for plates read beside it…")

    def show_result(self, result: CoTravelResult) -> None:
        self.found = result
        self.runButton.setEnabled(True)
        self.model.set_rows(result.travellers)
        self.travellers.resizeColumnsToContents()
        self.evidence.clear()
        n = len(result.travellers)
        self.statusLabel.setText(
            f"{result.plate}: {result.target_sightings:,} sightings in the window; "
            f"{n:,} plate{'s' if n != 1 else ''} read beside it on at least "
            f"{result.request.min_occasions} occasions at {result.request.min_cameras} "
            f"cameras" + (f"; {result.left_out_common:,} more common at these cameras left "
                          "out" if result.left_out_common else "")
            + f" (logged as entry #{result.log_seq}).")
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(n))
        if n:
            self.travellers.selectRow(0)
        self.loaded.emit()

    def drop_reads(self, gone: frozenset[int]) -> int:
        """The evidence reads a purge deleted go; a plate with no evidence read left goes."""
        left = self.rows_left(gone)
        if left is None:
            return 0
        f, rows = left
        kept = {r.read.id for r in rows}
        travellers = tuple(t for t in f.travellers if any(i in kept for i in t.read_ids))
        self.found = replace(f, rows=rows, travellers=travellers)
        purge_hook.refresh(self.travellers, self.model, travellers, lambda t: t.plate)
        self._picked(QItemSelection(), QItemSelection())
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(travellers))
        return len(f.rows) - len(rows)

    def selected_traveller(self) -> CoTraveller | None:
        rows = self.travellers.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _picked(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self.evidence.set_rows(self.evidence_rows(self.selected_traveller()))
        self.table.resizeColumnsToContents()
        if self.evidence.rowCount():
            self.table.selectRow(0)

    def evidence_rows(self, t: CoTraveller | None) -> list[SearchRow]:
        if t is None or self.found is None:
            return []
        wanted = set(t.read_ids)
        return [r for r in self.found.rows if r.read.id in wanted]

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        r = self.evidence.row_at(rows[0].row()) if rows else None
        if r is not None and self.links is not None:
            self.links.open_viewer(r.read.id, self.evidence.rows)

    def open_map(self) -> None:
        t = self.selected_traveller()
        if t is not None and self.links is not None and self.found is not None:
            self.links.open_map(self.evidence_rows(t), f"Co-travel: {self.found.plate} and "
                                f"{t.plate}", t.plate)

    def case_file(self) -> None:
        t = self.selected_traveller()
        if t is None or self.links is None or self.found is None:
            return
        q = self.found.request
        words = (f"Co-travel of {self.found.plate} and {t.plate}: {t.occasions} occasions "
                 f"at {t.cameras} cameras within ±{q.tolerance_s} s (score {t.score:.1f})")
        self.links.case_file(self.evidence_rows(t), words)


def open_cotravel(parent: QWidget, services: Controller, ctx: AnalysisLinks | None = None,
                  plate: str = "") -> CoTravelWindow:
    """The co-travel window: ``services`` is the session's controller (it runs the gated
    call with the session's context), ``ctx`` the links to the table, map, viewer and case
    file."""
    w = CoTravelWindow(services, ctx, plate, parent)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.show()
    return w
