"""Search by vehicle description when no plate is known: make, model, color, body type,
state, direction, cameras and a time window (the window and one more element required, the
window at most the store's limit). One gated query ("search.description", every element
logged, flagged broad on the audit report). Values are separated by commas ("Red, Maroon")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.description_query import DescriptionQuery, DescriptionResult
from alpr_desktop.core.models import Camera
from alpr_desktop.core.search import SearchInputError, SearchRow
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.models.view_rows import ReadRowsModel
from alpr_desktop.gui.widgets.read_table import read_table

FIELDS = (("makes", "&Make"), ("models", "M&odel"), ("colors", "&Color"),
          ("body_types", "&Body type"), ("states", "&State"), ("directions", "&Direction"))


def _values(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


class DescriptionSearchDialog(QDialog):
    open_read_requested = Signal(int, list)  # read id, the SearchRows to step through
    map_requested = Signal(list, str)  # read ids, title
    profile_requested = Signal(str)  # plate
    case_file_requested = Signal(list, str)  # read ids, query in words
    searched = Signal(object)  # DescriptionResult

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("descriptionSearch")
        self.setWindowTitle("Search by vehicle description")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.controller = controller
        self.found: DescriptionResult | None = None
        self._wanted_cameras: set[int] = set()
        self.last_query: DescriptionQuery | None = None
        self.cameras: list[Camera] = []
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for name, label in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"{name}Edit")
            edit.setPlaceholderText("any; several separated by commas")
            edit.setMaxLength(200)
            edit.returnPressed.connect(self.search)
            self.edits[name] = edit
            form.addRow(label + ":", edit)
        now = QDateTime.currentDateTime()
        self.fromEdit = QDateTimeEdit(now.addDays(-1))
        self.toEdit = QDateTimeEdit(now)
        self.fromEdit.setAccessibleName("From (site time)")
        self.toEdit.setAccessibleName("To (site time)")
        for e in (self.fromEdit, self.toEdit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        window = QHBoxLayout()
        window.addWidget(self.fromEdit)
        window.addWidget(QLabel("to"))
        window.addWidget(self.toEdit)
        self.windowNote = QLabel()
        window.addWidget(self.windowNote, 1)
        when = QLabel("&When (site time):")
        when.setBuddy(self.fromEdit)
        form.addRow(when, window)
        self.cameraList = QListWidget()
        self.cameraList.setObjectName("descriptionCameras")
        self.cameraList.setAccessibleName("Cameras (tick to limit the search)")
        self.cameraList.setMaximumHeight(110)
        form.addRow("C&ameras:", self.cameraList)
        self.searchButton = QPushButton("&Search")
        self.searchButton.setDefault(True)
        self.searchButton.clicked.connect(self.search)
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("descriptionProblem")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.model = ReadRowsModel(self)
        self.table = read_table(self.model, "descriptionResults",
                                "Reads matching the description, newest first",
                                self.open_selected)
        self.openButton = QPushButton("Open &Images…")
        self.openButton.clicked.connect(self.open_selected)
        self.profileButton = QPushButton("All Sightings of &Plate…")
        self.profileButton.clicked.connect(self._profile)
        self.mapButton = QPushButton("&Map…")
        self.mapButton.clicked.connect(self._map)
        self.caseButton = QPushButton("Case &File…")
        self.caseButton.clicked.connect(self._case_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.searchButton)
        buttons.addStretch(1)
        for b in (self.openButton, self.profileButton, self.mapButton, self.caseButton):
            buttons.addWidget(b)
            b.setEnabled(False)
        self.statusLabel = QLabel("Give the window and at least one more element. The search "
                                  "is logged with every element and listed as a broad search "
                                  "on the audit report.")
        self.statusLabel.setObjectName("descriptionStatus")
        self.statusLabel.setWordWrap(True)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(form)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.problemLabel)
        layout.addLayout(buttons)
        layout.addWidget(self.statusLabel)
        self.resize(900, 660)
        controller.locked.connect(self.close)
        controller.signed_out.connect(self.close)
        controller.purpose_changed.connect(self._purpose_changed)
        name_controls(self)

    def _purpose_changed(self, _purpose: object) -> None:
        self.close()  # the reads belong to the purpose that ended

    def load_settings(self) -> None:
        """Cameras and the window limit (configuration), on a worker."""

        def work(s: Any, ctx: Any) -> tuple[list[Camera], int]:
            return s.search.cameras(), s.views.description_max_days()

        self.controller.run(work, self._settings_loaded, lambda _e: None)

    def _settings_loaded(self, loaded: tuple[list[Camera], int]) -> None:
        cameras, days = loaded
        self.cameras = cameras
        self.cameraList.clear()
        for cam in cameras:
            item = QListWidgetItem(cam.name + (f" — {cam.location}" if cam.location else ""))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if cam.id in self._wanted_cameras
                               else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, cam.id)
            self.cameraList.addItem(item)
        self.windowNote.setText(f"at most {days} day{'s' if days != 1 else ''} wide")

    def set_query(self, q: DescriptionQuery) -> None:
        """Fill the form from a query (re-running one of "My searches")."""
        for name, _label in FIELDS:
            self.edits[name].setText(", ".join(getattr(q, name)))
        if q.since is not None:
            self.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(q.since))
        if q.until is not None:
            self.toEdit.setDateTime(QDateTime.fromSecsSinceEpoch(q.until))
        self._wanted_cameras = set(q.camera_ids)
        for i in range(self.cameraList.count()):
            item = self.cameraList.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in q.camera_ids else Qt.CheckState.Unchecked)

    def query(self) -> DescriptionQuery:
        cams = tuple(int(self.cameraList.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.cameraList.count())
                     if self.cameraList.item(i).checkState() == Qt.CheckState.Checked)
        v = {name: _values(self.edits[name].text()) for name, _l in FIELDS}
        return DescriptionQuery(self.fromEdit.dateTime().toSecsSinceEpoch(),
                                self.toEdit.dateTime().toSecsSinceEpoch(), makes=v["makes"],
                                models=v["models"], colors=v["colors"],
                                body_types=v["body_types"], states=v["states"],
                                directions=v["directions"], camera_ids=cams)

    def search(self, query: DescriptionQuery | None = None) -> None:
        if self.controller.purpose is None:
            self.problemLabel.setText("Declare a purpose first (Investigation screen).")
            return
        try:
            q = query if isinstance(query, DescriptionQuery) else self.query()
        except SearchInputError as exc:
            self.problemLabel.setText(str(exc))
            return
        self.problemLabel.clear()
        self.last_query = q
        self.model.clear()
        self.searchButton.setEnabled(False)
        self.statusLabel.setText("Searching…")

        def failed(exc: BaseException) -> None:
            self.searchButton.setEnabled(True)
            self.statusLabel.setText("Nothing was searched.")
            if isinstance(exc, SearchInputError):
                self.problemLabel.setText(str(exc))
            else:
                show_problem(self, exc)

        self.controller.run(lambda s, ctx: s.views.describe(ctx, q), self.show_result, failed)

    def show_result(self, result: DescriptionResult) -> None:
        self.found = result
        self.searchButton.setEnabled(True)
        self.model.set_rows(result.rows)
        self.table.resizeColumnsToContents()
        n = len(result.rows)
        self.statusLabel.setText(
            f"{n:,} read{'s' if n != 1 else ''} of {result.plates_found:,} plate"
            f"{'s' if result.plates_found != 1 else ''}, newest first"
            + (" (more matched: narrow the window or add an element)" if result.truncated
               else "") + f". Logged as entry #{result.log_seq}, a broad search.")
        for b in (self.openButton, self.profileButton, self.mapButton, self.caseButton):
            b.setEnabled(bool(n))
        if n:
            self.table.selectRow(0)
        self.searched.emit(result)

    def selected_row(self) -> SearchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        r = self.selected_row()
        if r is not None:
            self.open_read_requested.emit(r.read.id, self.model.rows)

    def _profile(self) -> None:
        r = self.selected_row()
        if r is not None:
            self.profile_requested.emit(r.read.plate_norm)

    def _words(self) -> str:
        names = {c.id: c.name for c in self.cameras if c.id is not None}
        return self.last_query.words(names) if self.last_query else ""

    def _map(self) -> None:
        self.map_requested.emit([r.read.id for r in self.model.rows],
                                "Map: " + self._words())

    def _case_file(self) -> None:
        self.case_file_requested.emit([r.read.id for r in self.model.rows], self._words())
