"""Cloned-plate check (issue 19): reads of one plate too far apart for the time between them,
over the current results or over every read of a window (at most 31 days a run), each pair
with its distance, time and speed, and both reads in the shared table to compare images.

One gated call ("analysis.cloned", scope and every limit logged) on a worker. Only sworn
analysts run it (it lists plates and reads); the custodian reviews its use in the log.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.cloned import (
    DEFAULT_CLOCK_SLACK_S,
    DEFAULT_MAX_SPEED_KMH,
    DEFAULT_MIN_DISTANCE_KM,
    ClonedLimits,
    ClonedResult,
    ImpossiblePair,
    ResultsCheck,
    StoreCheck,
)
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
from alpr_desktop.gui.widgets.read_table import read_table


def _speed(p: ImpossiblePair) -> str:
    return "same second" if math.isinf(p.speed_kmh) else f"{p.speed_kmh:,.0f}"


def _minutes(p: ImpossiblePair) -> str:
    return f"{p.seconds / 60:,.1f}"


class PairsModel(RowsModel[ImpossiblePair]):
    columns = (
        Column("Plate", lambda p: p.plate),
        Column("Speed km/h", _speed, lambda p: "Distance over the time between the reads "
               "plus the clock allowance.", True),
        Column("Distance km", lambda p: f"{p.distance_km:,.1f}", None, True),
        Column("Minutes", _minutes, None, True),
        Column("First read", lambda p: format_local(p.first.recorded_at * 1000)),
        Column("At", lambda p: p.first_place),
        Column("Second read", lambda p: format_local(p.second.recorded_at * 1000)),
        Column("At", lambda p: p.second_place),
    )


class ClonedWindow(TravelWindow):
    failed_words = "The check did not run."
    loaded = Signal()

    def __init__(self, controller: Controller, links: AnalysisLinks | None = None,
                 read_ids: list[int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(controller, links, parent)
        self.setObjectName("clonedWindow")
        self.setWindowTitle("Cloned-plate check")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.read_ids = list(read_ids or [])
        self.found: ClonedResult | None = None
        n = len(self.read_ids)
        self.resultsRadio = QRadioButton(f"The current &results ({n:,} reads)")
        self.storeRadio = QRadioButton("&All reads from")
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.resultsRadio)
        self.scope.addButton(self.storeRadio)
        self.resultsRadio.setEnabled(bool(n))
        (self.resultsRadio if n else self.storeRadio).setChecked(True)
        self.fromEdit, self.toEdit, when = window_edits(1)
        when.insertWidget(0, self.storeRadio)
        self.speedSpin = QDoubleSpinBox()
        self.speedSpin.setRange(10, 2000)
        self.speedSpin.setDecimals(0)
        self.speedSpin.setValue(DEFAULT_MAX_SPEED_KMH)
        self.speedSpin.setSuffix(" km/h")
        self.speedSpin.setAccessibleName("Faster than, km/h")
        self.distanceSpin = QDoubleSpinBox()
        self.distanceSpin.setRange(0, 500)
        self.distanceSpin.setDecimals(1)
        self.distanceSpin.setValue(DEFAULT_MIN_DISTANCE_KM)
        self.distanceSpin.setSuffix(" km")
        self.distanceSpin.setAccessibleName("At least this far apart, km")
        self.slackSpin = QSpinBox()
        self.slackSpin.setRange(0, 3600)
        self.slackSpin.setValue(DEFAULT_CLOCK_SLACK_S)
        self.slackSpin.setSuffix(" s")
        self.slackSpin.setAccessibleName("Clock allowance, seconds")
        self.runButton = QPushButton("&Run")
        self.runButton.setDefault(True)
        self.runButton.clicked.connect(self.run)
        limits = QHBoxLayout()
        for label, w in (("faster than", self.speedSpin), ("at least", self.distanceSpin),
                         ("apart; clock allowance", self.slackSpin)):
            limits.addWidget(QLabel(label))
            limits.addWidget(w)
        limits.addStretch(1)
        limits.addWidget(self.runButton)
        form = QFormLayout()
        form.addRow("Check:", self.resultsRadio)
        form.addRow("", when)
        form.addRow("Flag reads:", limits)

        self.pairsModel = PairsModel(self)
        self.pairs = read_table(self.pairsModel, "clonedPairs",
                                "Impossible pairs, fastest first", self.open_map)
        self.pairs.selectionModel().selectionChanged.connect(self._picked)
        self.model = ReadRowsModel(self)
        self.table = read_table(self.model, "clonedReads", "Both reads of the selected pair",
                                self.open_selected)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.pairs)
        split.addWidget(self.table)
        split.setSizes([330, 170])
        enter_opens(self.pairs, self.open_map)
        enter_opens(self.table, self.open_selected)
        self.finish_layout(
            [form], split,
            "A flagged pair is two cars with one plate (cloned or stolen) or a misread: "
            "compare both images before acting. The check is logged with its scope and "
            "limits.",
            "clonedStatus")

    def limits(self) -> ClonedLimits:
        return ClonedLimits(self.speedSpin.value(), self.distanceSpin.value(),
                            self.slackSpin.value())

    def check(self) -> ResultsCheck | StoreCheck:
        if self.resultsRadio.isChecked():
            return ResultsCheck(tuple(self.read_ids), self.limits())
        return StoreCheck(seconds(self.fromEdit), seconds(self.toEdit), self.limits())

    def run(self) -> None:
        check = self.check()
        if isinstance(check, ResultsCheck):
            self.start(lambda s, ctx: s.travel.cloned_in_results(ctx, check), "Checking…")
        else:
            self.start(lambda s, ctx: s.travel.cloned_in_store(ctx, check), "Checking…")

    def show_result(self, result: ClonedResult) -> None:
        self.found = result
        self.runButton.setEnabled(True)
        self.pairsModel.set_rows(result.pairs)
        self.pairs.resizeColumnsToContents()
        self.model.clear()
        n, plates = result.total_pairs, len(result.plates)
        self.statusLabel.setText(
            f"{result.checked_reads:,} reads checked; {n:,} impossible pair"
            f"{'s' if n != 1 else ''} of {plates:,} plate{'s' if plates != 1 else ''}"
            + (f" (the fastest {len(result.pairs):,} listed)" if n > len(result.pairs) else "")
            + (f"; {result.unplaced:,} reads without a place were not checked"
               if result.unplaced else "")
            + f". Compare both images before acting (logged as entry #{result.log_seq}).")
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(result.pairs))
        if result.pairs:
            self.pairs.selectRow(0)
        self.loaded.emit()

    def drop_reads(self, gone: frozenset[int]) -> int:
        """A pair with a deleted read is no pair any more: it goes with the read."""
        left = self.rows_left(gone)
        if left is None:
            return 0
        f, rows = left
        pairs = tuple(p for p in f.pairs
                      if p.first.read_id not in gone and p.second.read_id not in gone)
        self.found = replace(f, rows=rows, pairs=pairs,
                             total_pairs=f.total_pairs - (len(f.pairs) - len(pairs)))
        purge_hook.refresh(self.pairs, self.pairsModel, pairs,
                           lambda p: (p.first.read_id, p.second.read_id))
        self._picked(QItemSelection(), QItemSelection())
        for b in (self.openButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(pairs))
        return len(f.rows) - len(rows)

    def selected_pair(self) -> ImpossiblePair | None:
        rows = self.pairs.selectionModel().selectedRows()
        return self.pairsModel.row_at(rows[0].row()) if rows else None

    def pair_rows(self, p: ImpossiblePair | None) -> list[SearchRow]:
        if p is None or self.found is None:
            return []
        ids = (p.first.read_id, p.second.read_id)
        return sorted((r for r in self.found.rows if r.read.id in ids),
                      key=lambda r: r.read.recorded_at)

    def _picked(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self.model.set_rows(self.pair_rows(self.selected_pair()))
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        r = self.model.row_at(rows[0].row()) if rows else None
        if r is not None and self.links is not None:
            self.links.open_viewer(r.read.id, self.model.rows)

    def open_map(self) -> None:
        p = self.selected_pair()
        if p is not None and self.links is not None:
            self.links.open_map(self.pair_rows(p), f"Impossible travel of {p.plate}", p.plate)

    def case_file(self) -> None:
        p = self.selected_pair()
        if p is None or self.links is None:
            return
        words = (f"Cloned-plate check: {p.plate} {p.distance_km:,.1f} km apart in "
                 f"{_minutes(p)} min ({_speed(p)} km/h)")
        self.links.case_file(self.pair_rows(p), words)


def open_cloned(parent: QWidget, services: Controller, ctx: AnalysisLinks | None = None,
                read_ids: list[int] | None = None) -> ClonedWindow:
    """The cloned-plate window (``services``: the session's controller; ``ctx``: the links;
    ``read_ids``: the current results, for the result-set scope)."""
    w = ClonedWindow(services, ctx, read_ids, parent)
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.show()
    return w
