"""One place (or set) of an analysis being edited: a name, cameras or a radius around a point
(a camera's position fills the point), and its own time windows. Drafts are plain data until
the form builds the query, so a half-typed place never reaches a service."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.analysis_places import MAX_RADIUS_M, MIN_RADIUS_M, Place, Window
from alpr_desktop.core.clock import SITE_ZONE, format_local
from alpr_desktop.core.models import Camera

HOUR = 3600
SITE_QTZ = QTimeZone(SITE_ZONE.key.encode())  # the edits show site time, like the results


@dataclass
class PlaceDraft:
    label: str
    camera_ids: set[int] = field(default_factory=set)
    use_radius: bool = False
    latitude: float = 33.8317
    longitude: float = -118.2620
    radius_m: int = 250
    windows: list[tuple[int, int]] = field(default_factory=list)

    def build(self) -> Place:
        """The place as the service takes it (raises AnalysisInputError with a sentence)."""
        windows = tuple(Window(a, b) for a, b in self.windows)
        if self.use_radius:
            return Place(self.label, windows, latitude=self.latitude, longitude=self.longitude,
                         radius_m=float(self.radius_m))
        return Place(self.label, windows, camera_ids=tuple(sorted(self.camera_ids)))


def window_text(since: int, until: int) -> str:
    return f"{format_local(since * 1000)[:16]} to {format_local(until * 1000)[:16]}"


class PlaceEditor(QWidget):
    """Edits one PlaceDraft in place; ``changed`` when its name changes (the list shows it)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: PlaceDraft | None = None
        self.cameras: list[Camera] = []
        self._loading = False
        form = QFormLayout()
        self.labelEdit = QLineEdit()
        self.labelEdit.setObjectName("placeLabel")
        self.labelEdit.setMaxLength(60)
        self.labelEdit.textEdited.connect(self._label_edited)
        form.addRow("&Name:", self.labelEdit)
        self.camerasRadio = QRadioButton("Ca&meras")
        self.radiusRadio = QRadioButton("&Radius around a point")
        group = QButtonGroup(self)
        group.addButton(self.camerasRadio)
        group.addButton(self.radiusRadio)
        self.camerasRadio.setChecked(True)
        kind = QHBoxLayout()
        kind.addWidget(self.camerasRadio)
        kind.addWidget(self.radiusRadio)
        kind.addStretch(1)
        form.addRow("Where:", kind)
        self.cameraList = QListWidget()
        self.cameraList.setObjectName("placeCameras")
        self.cameraList.setAccessibleName("Cameras of this place (tick each)")
        self.cameraList.itemChanged.connect(self._camera_ticked)
        radius = QWidget()
        rform = QFormLayout(radius)
        rform.setContentsMargins(0, 0, 0, 0)
        self.centreCombo = QComboBox()
        self.centreCombo.setObjectName("placeCentre")
        self.centreCombo.setAccessibleName("Centre the radius on a camera")
        self.centreCombo.activated.connect(self._centre_on_camera)
        self.latSpin = QDoubleSpinBox()
        self.lonSpin = QDoubleSpinBox()
        for spin, lo, hi, name in ((self.latSpin, -90, 90, "Latitude"),
                                   (self.lonSpin, -180, 180, "Longitude")):
            spin.setDecimals(5)
            spin.setRange(lo, hi)
            spin.setSingleStep(0.001)
            spin.setAccessibleName(name)
            spin.valueChanged.connect(self._store)
        self.radiusSpin = QSpinBox()
        self.radiusSpin.setObjectName("placeRadius")
        self.radiusSpin.setRange(int(MIN_RADIUS_M), int(MAX_RADIUS_M))
        self.radiusSpin.setSuffix(" m")
        self.radiusSpin.setSingleStep(50)
        self.radiusSpin.setAccessibleName("Radius in metres")
        self.radiusSpin.valueChanged.connect(self._store)
        rform.addRow("Centre on &camera:", self.centreCombo)
        point = QHBoxLayout()
        point.addWidget(self.latSpin)
        point.addWidget(self.lonSpin)
        rform.addRow("Point (lat, lon):", point)
        rform.addRow("Ra&dius:", self.radiusSpin)
        self.where = QStackedWidget()
        self.where.addWidget(self.cameraList)
        self.where.addWidget(radius)
        self.where.setMaximumHeight(130)
        form.addRow(self.where)
        self.camerasRadio.toggled.connect(self._kind_changed)
        self.windowList = QListWidget()
        self.windowList.setObjectName("placeWindows")
        self.windowList.setAccessibleName("Time windows of this place")
        self.windowList.setMaximumHeight(80)
        self.fromEdit = QDateTimeEdit()
        self.toEdit = QDateTimeEdit()
        self.fromEdit.setAccessibleName("Window from (site time)")
        self.toEdit.setAccessibleName("Window to (site time)")
        for e in (self.fromEdit, self.toEdit):
            e.setTimeZone(SITE_QTZ)
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.addWindowButton = QPushButton("Add &Window")
        self.addWindowButton.clicked.connect(self.add_window)
        self.removeWindowButton = QPushButton("Remove Window")
        self.removeWindowButton.clicked.connect(self.remove_window)
        when = QHBoxLayout()
        when.addWidget(self.fromEdit)
        when.addWidget(QLabel("to"))
        when.addWidget(self.toEdit)
        when.addStretch(1)
        when.addWidget(self.addWindowButton)
        when.addWidget(self.removeWindowButton)
        whenLabel = QLabel("&When (site time):")
        whenLabel.setBuddy(self.fromEdit)
        form.addRow(whenLabel, when)
        form.addRow("Windows:", self.windowList)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.cameras = cameras
        self.centreCombo.clear()
        for cam in cameras:
            if cam.latitude is not None and cam.longitude is not None:
                self.centreCombo.addItem(cam.name, (cam.latitude, cam.longitude))
        if self.draft is not None:
            self.edit(self.draft)

    def set_default_window(self, since: int, until: int) -> None:
        self.set_window(since, until)

    def set_window(self, since: int, until: int) -> None:
        """Put a window (UTC seconds) in the from/to edits, shown in site time."""
        self.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(since, SITE_QTZ))
        self.toEdit.setDateTime(QDateTime.fromSecsSinceEpoch(until, SITE_QTZ))

    def edit(self, draft: PlaceDraft) -> None:
        self._loading = True
        try:
            self.draft = draft
            self.labelEdit.setText(draft.label)
            self.cameraList.clear()
            for cam in self.cameras:
                text = cam.name + (f" — {cam.location}" if cam.location else "")
                item = QListWidgetItem(text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if cam.id in draft.camera_ids
                                   else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, cam.id)
                self.cameraList.addItem(item)
            self.radiusRadio.setChecked(draft.use_radius)
            self.camerasRadio.setChecked(not draft.use_radius)
            self.where.setCurrentIndex(1 if draft.use_radius else 0)
            self.latSpin.setValue(draft.latitude)
            self.lonSpin.setValue(draft.longitude)
            self.radiusSpin.setValue(draft.radius_m)
            self._show_windows()
        finally:
            self._loading = False

    def _show_windows(self) -> None:
        self.windowList.clear()
        for a, b in self.draft.windows if self.draft else []:
            self.windowList.addItem(window_text(a, b))

    def _label_edited(self, text: str) -> None:
        if self.draft is not None:
            self.draft.label = text
            self.changed.emit()

    def _camera_ticked(self, item: QListWidgetItem) -> None:
        if self._loading or self.draft is None:
            return
        cid = int(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.draft.camera_ids.add(cid)
        else:
            self.draft.camera_ids.discard(cid)

    def _kind_changed(self, cameras: bool) -> None:
        self.where.setCurrentIndex(0 if cameras else 1)
        self._store()

    def _centre_on_camera(self, index: int) -> None:
        point = self.centreCombo.itemData(index)
        if point:
            self.latSpin.setValue(float(point[0]))
            self.lonSpin.setValue(float(point[1]))

    def _store(self) -> None:
        if self._loading or self.draft is None:
            return
        self.draft.use_radius = self.radiusRadio.isChecked()
        self.draft.latitude = self.latSpin.value()
        self.draft.longitude = self.lonSpin.value()
        self.draft.radius_m = self.radiusSpin.value()

    def add_window(self) -> None:
        if self.draft is None:
            return
        a = self.fromEdit.dateTime().toSecsSinceEpoch()
        b = self.toEdit.dateTime().toSecsSinceEpoch()
        self.draft.windows.append((a, b))
        self._show_windows()

    def remove_window(self) -> None:
        row = self.windowList.currentRow()
        if self.draft is not None and 0 <= row < len(self.draft.windows):
            del self.draft.windows[row]
            self._show_windows()
