"""The forms of the location search (stakeout) and common plates: places (or sets) each with
cameras or a radius and its own time windows, optional plate pattern and description, k for
common plates, and the reason when the analysis reaches outside the purpose's own dates.

The query is built and checked here first (a sentence, nothing run); the wider-than-purpose
rule is checked against the active purpose before anything is sent, and again by the service.
The analysis runs on a worker with progress and a Cancel button; its result opens in the
shared result window (table, map, viewer, case file)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.analysis_places import (
    MAX_PLACES,
    MAX_SETS,
    MIN_SETS,
    CommonPlatesQuery,
    CommonPlatesResult,
    LocationQuery,
    LocationResult,
    PlateFilter,
)
from alpr_desktop.core.analysis_scope import check_scope
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.models import Camera
from alpr_desktop.core.search import SearchInputError
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.analysis.host import AnalysisHost
from alpr_desktop.gui.analysis.models import CommonPlatesModel, PlaceSightingsModel
from alpr_desktop.gui.analysis.place_editor import PlaceDraft, PlaceEditor
from alpr_desktop.gui.analysis.result_view import AnalysisResultWindow
from alpr_desktop.gui.workers import TaskHandle

LOCATION, COMMON = "location", "common"
FILTERS = (("makes", "Ma&ke"), ("models", "M&odel"), ("colors", "Co&lor"),
           ("body_types", "&Body type"), ("states", "&State"))


def _values(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


class AnalysisForm(QDialog):
    def __init__(self, host: AnalysisHost, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.kind = kind
        self.common = kind == COMMON
        self.setObjectName("commonPlatesForm" if self.common else "locationSearchForm")
        self.setWindowTitle("Common plates across scenes" if self.common
                            else "Location search (stakeout)")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.cameras: list[Camera] = []
        self.handle: TaskHandle | None = None
        self.result_window: AnalysisResultWindow | None = None
        self.noun = "set" if self.common else "place"
        now = host.controller.clock.now_ms() // 1000
        self.default_window = (now - 2 * 3600, now)
        count = MIN_SETS if self.common else 1
        self.drafts = [self._new_draft(i) for i in range(count)]
        # places (or sets) on the left, the one selected on the right
        self.placeList = QListWidget()
        self.placeList.setObjectName("analysisPlaces")
        self.placeList.setAccessibleName("Scenes (sets)" if self.common else "Places")
        self.placeList.setMaximumWidth(200)
        self.placeList.currentRowChanged.connect(self._place_selected)
        self.addPlaceButton = QPushButton("&Add Scene" if self.common else "&Add Place")
        self.addPlaceButton.clicked.connect(self.add_place)
        self.removePlaceButton = QPushButton("Remo&ve")
        self.removePlaceButton.clicked.connect(self.remove_place)
        left = QVBoxLayout()
        left.addWidget(QLabel("Scenes:" if self.common else "Places:"))
        left.addWidget(self.placeList, 1)
        pb = QHBoxLayout()
        pb.addWidget(self.addPlaceButton)
        pb.addWidget(self.removePlaceButton)
        left.addLayout(pb)
        self.editor = PlaceEditor()
        self.editor.set_default_window(*self.default_window)
        self.editor.changed.connect(self._names_changed)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(self.editor, 1)
        # filters, k and the reason
        form = QFormLayout()
        self.plateEdit = QLineEdit()
        self.plateEdit.setObjectName("analysisPlate")
        self.plateEdit.setPlaceholderText("any plate; or a pattern such as 7AB* or *123")
        self.plateEdit.setMaxLength(20)
        form.addRow("P&late pattern:", self.plateEdit)
        self.edits: dict[str, QLineEdit] = {}
        row = QHBoxLayout()
        for name, label in FILTERS:
            edit = QLineEdit()
            edit.setObjectName(f"analysis_{name}")
            edit.setPlaceholderText("any")
            edit.setMaxLength(120)
            lab = QLabel(label + ":")
            lab.setBuddy(edit)
            row.addWidget(lab)
            row.addWidget(edit)
            self.edits[name] = edit
        form.addRow("Vehicle:", row)
        self.kSpin = QSpinBox()
        self.kSpin.setObjectName("analysisK")
        self.kSpin.setRange(2, MAX_SETS)
        self.kSpin.setValue(2)
        self.kSpin.setSuffix(" scenes")
        if self.common:
            form.addRow("Seen in at &least:", self.kSpin)
        self.reasonEdit = QLineEdit()
        self.reasonEdit.setObjectName("analysisReason")
        self.reasonEdit.setMaxLength(500)
        self.reasonEdit.setPlaceholderText("needed only when a window reaches outside your "
                                           "purpose's own dates")
        form.addRow("&Reason:", self.reasonEdit)
        self.runButton = QPushButton("&Run")
        self.runButton.setDefault(True)
        self.runButton.clicked.connect(self.run)
        self.cancelButton = QPushButton("&Cancel Analysis")
        self.cancelButton.setEnabled(False)
        self.cancelButton.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("analysisProgress")
        self.progress.setAccessibleName("Analysis progress")
        self.progress.setVisible(False)
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("analysisProblem")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.statusLabel = QLabel(
            "Each scene is cameras or a radius, with its own time windows. The analysis is "
            "logged with every scene, window and filter and listed on the audit report."
            if self.common else
            "Each place is cameras or a radius, with its own time windows. The search is "
            "logged with every place, window and filter and listed on the audit report.")
        self.statusLabel.setObjectName("analysisFormStatus")
        self.statusLabel.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.runButton)
        buttons.addWidget(self.cancelButton)
        buttons.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(form)
        layout.addWidget(self.problemLabel)
        layout.addLayout(buttons)
        layout.addWidget(self.statusLabel)
        self.resize(900, 640)
        host.controller.locked.connect(self.close)
        host.controller.signed_out.connect(self.close)
        self._names_changed()
        self.editor.edit(self.drafts[0])
        name_controls(self)

    # -- places ------------------------------------------------------------------------------
    def _new_draft(self, i: int) -> PlaceDraft:
        name = f"Scene {i + 1}" if self.common else f"Place {i + 1}"
        return PlaceDraft(name, windows=[self.default_window])

    def _names_changed(self) -> None:
        row = self.placeList.currentRow()
        self.placeList.blockSignals(True)
        self.placeList.clear()
        for d in self.drafts:
            self.placeList.addItem(d.label or f"(unnamed {self.noun})")
        self.placeList.setCurrentRow(max(0, min(row, len(self.drafts) - 1)))
        self.placeList.blockSignals(False)
        most = MAX_SETS if self.common else MAX_PLACES
        least = MIN_SETS if self.common else 1
        self.addPlaceButton.setEnabled(len(self.drafts) < most)
        self.removePlaceButton.setEnabled(len(self.drafts) > least)
        self.kSpin.setMaximum(max(2, len(self.drafts)))

    def _place_selected(self, row: int) -> None:
        if 0 <= row < len(self.drafts):
            self.editor.edit(self.drafts[row])

    def add_place(self) -> None:
        self.drafts.append(self._new_draft(len(self.drafts)))
        self._names_changed()
        self.placeList.setCurrentRow(len(self.drafts) - 1)
        self.editor.labelEdit.setFocus()

    def remove_place(self) -> None:
        row = self.placeList.currentRow()
        least = MIN_SETS if self.common else 1
        if 0 <= row < len(self.drafts) and len(self.drafts) > least:
            del self.drafts[row]
            self._names_changed()
            self._place_selected(self.placeList.currentRow())

    def load(self) -> None:
        """The cameras (configuration, not read data), on a worker."""
        self.host.controller.run(lambda s, ctx: s.search.cameras(), self._cameras_loaded,
                                 lambda e: show_problem(self, e))

    def _cameras_loaded(self, cameras: list[Camera]) -> None:
        self.cameras = cameras
        self.editor.set_cameras(cameras)

    # -- the query -----------------------------------------------------------------------------
    def filters(self) -> PlateFilter:
        v = {name: _values(self.edits[name].text()) for name, _l in FILTERS}
        return PlateFilter(self.plateEdit.text(), makes=v["makes"], models=v["models"],
                           colors=v["colors"], body_types=v["body_types"], states=v["states"])

    def query(self) -> LocationQuery | CommonPlatesQuery:
        places = tuple(d.build() for d in self.drafts)
        reason = self.reasonEdit.text()
        q: LocationQuery | CommonPlatesQuery
        if self.common:
            q = CommonPlatesQuery(places, self.kSpin.value(), self.filters(), reason)
        else:
            q = LocationQuery(places, self.filters(), reason)
        q.check()
        return q

    def camera_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self.cameras if c.id is not None}

    def run(self) -> None:
        if self.handle is not None and self.handle.running:
            return
        if self.host.need_purpose():
            self.problemLabel.setText("Declare a purpose first (Investigation screen).")
            return
        try:
            q = self.query()
            purpose = self.host.controller.purpose
            if purpose is not None:
                check_scope(q.windows(), purpose, self.host.controller.clock.now_ms() // 1000,
                            q.reason)
        except SearchInputError as exc:
            self.problemLabel.setText(str(exc))
            if getattr(exc, "refusal_reason", "") == "reason_required":
                self.reasonEdit.setFocus()
            return
        self.problemLabel.clear()
        self.runButton.setEnabled(False)
        self.cancelButton.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.statusLabel.setText("Running the analysis…")

        def work(s: Any, ctx: Any, progress: Any, cancel: Any) -> Any:
            if isinstance(q, CommonPlatesQuery):
                return s.places.common_plates(ctx, q, cancel=cancel, progress=progress)
            return s.places.location_search(ctx, q, cancel=cancel, progress=progress)

        self.handle = self.host.controller.run_with_progress(work, self._done, self._failed,
                                                             self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _idle(self) -> None:
        self.runButton.setEnabled(True)
        self.cancelButton.setEnabled(False)
        self.progress.setVisible(False)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.statusLabel.setText("Stopping…")

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, Cancelled):
            self.statusLabel.setText("The analysis was stopped; nothing was returned.")
        elif isinstance(exc, SearchInputError):
            self.statusLabel.setText("Nothing was run.")
            self.problemLabel.setText(str(exc))
            if getattr(exc, "refusal_reason", "") == "reason_required":
                self.reasonEdit.setFocus()
        else:
            self.statusLabel.setText("Nothing was run.")
            show_problem(self, exc)

    def _done(self, result: LocationResult | CommonPlatesResult) -> None:
        self._idle()
        self.result_window = show_result(self.host, result, self.camera_names())
        self.statusLabel.setText(f"Done: logged as entry #{result.log_seq}.")


def show_result(host: AnalysisHost, result: LocationResult | CommonPlatesResult,
                camera_names: dict[int, str]) -> AnalysisResultWindow:
    """The result window of a location search or a common-plates analysis."""
    wider = (" Wider than the purpose's own dates; the reason is logged."
             if result.wider_than_purpose else "")
    if isinstance(result, CommonPlatesResult):
        q = result.query
        model = CommonPlatesModel([s.label for s in q.sets])
        n = len(result.plates)
        status = (f"{n:,} plate{'s' if n != 1 else ''} seen in at least {q.min_sets} of "
                  f"{len(q.sets)} scenes"
                  + (f" ({result.qualified:,} qualified; the first {n:,} are listed)"
                     if result.qualified > n else "")
                  + f", ranked: more scenes first, then fewer reads. Logged as entry "
                  f"#{result.log_seq}.{wider}")
        w = AnalysisResultWindow(
            host, "Common plates", model, result.plates, result.rows,
            lambda c: [rid for s in c.sightings for rid in s.read_ids], status,
            q.words(camera_names), summary_name="Plates seen in several scenes, ranked")
    else:
        lq = result.query
        plates = {p.plate for p in result.plates}
        status = (f"{result.reads_found:,} read{'s' if result.reads_found != 1 else ''} of "
                  f"{len(plates):,} plate{'s' if len(plates) != 1 else ''} at "
                  f"{len(lq.places)} place{'s' if len(lq.places) != 1 else ''}"
                  + (" (the first reads are listed; every plate is summarised)"
                     if result.truncated else "")
                  + f". Logged as entry #{result.log_seq}.{wider}")
        w = AnalysisResultWindow(
            host, "Location search", PlaceSightingsModel(), result.plates, result.rows,
            lambda s: list(s.read_ids), status, lq.words(camera_names),
            summary_name="Plates at each place with first and last sighting")
    host.keep(w)
    w.show()
    return w
