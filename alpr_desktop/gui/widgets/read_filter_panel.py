"""The search view's filter panel: time window, cameras, state, make, model, colour, body type,
speed and confidence, read into the query's filters."""

from __future__ import annotations

from datetime import time as dt_time
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.models import Camera
from alpr_desktop.core.search import (
    Filters,
    TimeOfDay,
    TimePreset,
)

ANY = "Any time"
CUSTOM = "Between…"


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


class FilterPanel(QGroupBox):
    """Time window (presets or a range), time of day, cameras and the vehicle description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Fi&lters", parent)
        self._pending_cameras: list[int] = []
        self.windowCombo = QComboBox()
        self.windowCombo.addItem(ANY, None)
        for preset in TimePreset:
            self.windowCombo.addItem(preset.label, preset)
        self.windowCombo.addItem(CUSTOM, "custom")
        now = QDateTime.currentDateTime()
        self.fromEdit = QDateTimeEdit(now.addDays(-7))
        self.toEdit = QDateTimeEdit(now)
        for e in (self.fromEdit, self.toEdit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.todCheck = QCheckBox("Time of day")
        self.todFrom = QTimeEdit(QTime(22, 0))
        self.todTo = QTimeEdit(QTime(4, 0))
        for e in (self.todFrom, self.todTo):
            e.setDisplayFormat("HH:mm")
        self.cameraList = QListWidget()
        self.cameraList.setMaximumHeight(90)
        self.cameraList.setToolTip("Tick cameras to search only those; none ticked means all.")
        self.stateEdit = QLineEdit()
        self.makeEdit = QLineEdit()
        self.modelEdit = QLineEdit()
        self.colorEdit = QLineEdit()
        self.bodyEdit = QLineEdit()
        for edit, hint in ((self.stateEdit, "CA, NV"), (self.makeEdit, "Honda, Toyota"),
                           (self.modelEdit, "Civic"), (self.colorEdit, "silver, gray"),
                           (self.bodyEdit, "sedan")):
            edit.setPlaceholderText(hint)
            edit.setMaxLength(200)
        self.speedMin = QDoubleSpinBox()
        self.speedMax = QDoubleSpinBox()
        for spin in (self.speedMin, self.speedMax):
            spin.setRange(0, 250)
            spin.setSpecialValueText("any")
            spin.setSuffix(" mph")
        self.confMin = QDoubleSpinBox()
        self.confMin.setRange(0, 100)
        self.confMin.setSpecialValueText("any")
        self.confMin.setSuffix(" %")

        # The fields live in ``body`` so that an unticked panel can fold away (SearchView).
        self.body = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 2, 6, 2)
        outer.addWidget(self.body)
        grid = QGridLayout(self.body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("When:"), 0, 0)
        grid.addWidget(self.windowCombo, 0, 1)
        grid.addWidget(self.fromEdit, 0, 2)
        grid.addWidget(QLabel("to"), 0, 3)
        grid.addWidget(self.toEdit, 0, 4)
        grid.addWidget(self.todCheck, 1, 0)
        grid.addWidget(self.todFrom, 1, 1)
        grid.addWidget(QLabel("to"), 1, 2, alignment=Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.todTo, 1, 3, 1, 2)
        form = QFormLayout()
        form.addRow("State:", self.stateEdit)
        form.addRow("Make:", self.makeEdit)
        form.addRow("Model:", self.modelEdit)
        form.addRow("Color:", self.colorEdit)
        form.addRow("Body type:", self.bodyEdit)
        speeds = QHBoxLayout()
        speeds.addWidget(self.speedMin)
        speeds.addWidget(QLabel("to"))
        speeds.addWidget(self.speedMax)
        form.addRow("Speed:", speeds)
        form.addRow("Min. confidence:", self.confMin)
        grid.addLayout(form, 2, 0, 1, 3)
        cams = QVBoxLayout()
        cams.addWidget(QLabel("Cameras:"))
        cams.addWidget(self.cameraList)
        grid.addLayout(cams, 2, 3, 1, 2)
        for widget, name in (
                (self.windowCombo, "Time window"), (self.fromEdit, "From date and time"),
                (self.toEdit, "To date and time"), (self.todFrom, "Time of day from"),
                (self.todTo, "Time of day to"), (self.cameraList, "Cameras"),
                (self.speedMin, "Lowest speed"), (self.speedMax, "Highest speed"),
                (self.confMin, "Minimum confidence")):
            widget.setAccessibleName(name)
        self.windowCombo.currentIndexChanged.connect(self._sync)
        self.todCheck.toggled.connect(self._sync)
        self._sync()

    def fold(self, folded: bool) -> None:
        """Folded: only the tick box and title remain (a flat line, no empty frame)."""
        self.body.setVisible(not folded)
        self.setFlat(folded)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(6, 0 if folded else 2, 6, 0 if folded else 2)
        self.setMaximumHeight(self.fontMetrics().height() + 6 if folded else 16_777_215)

    def _sync(self) -> None:
        custom = self.windowCombo.currentData() == "custom"
        self.fromEdit.setEnabled(custom)
        self.toEdit.setEnabled(custom)
        self.todFrom.setEnabled(self.todCheck.isChecked())
        self.todTo.setEnabled(self.todCheck.isChecked())

    def state(self) -> dict[str, Any]:
        """What the panel holds, to put back after a lock (no read data in it)."""
        checked = [int(self.cameraList.item(i).data(Qt.ItemDataRole.UserRole))
                   for i in range(self.cameraList.count())
                   if self.cameraList.item(i).checkState() == Qt.CheckState.Checked]
        return {
            "window": self.windowCombo.currentIndex(),
            "from": self.fromEdit.dateTime(), "to": self.toEdit.dateTime(),
            "tod": self.todCheck.isChecked(), "tod_from": self.todFrom.time(),
            "tod_to": self.todTo.time(), "cameras": checked or self._pending_cameras,
            "texts": [e.text() for e in self._texts()],
            "speed": (self.speedMin.value(), self.speedMax.value()),
            "conf": self.confMin.value(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        self.windowCombo.setCurrentIndex(state["window"])
        self.fromEdit.setDateTime(state["from"])
        self.toEdit.setDateTime(state["to"])
        self.todCheck.setChecked(state["tod"])
        self.todFrom.setTime(state["tod_from"])
        self.todTo.setTime(state["tod_to"])
        for edit, text in zip(self._texts(), state["texts"], strict=True):
            edit.setText(text)
        self.speedMin.setValue(state["speed"][0])
        self.speedMax.setValue(state["speed"][1])
        self.confMin.setValue(state["conf"])
        self._pending_cameras = list(state["cameras"])  # ticked when the list arrives
        self._tick_pending()

    def _texts(self) -> list[QLineEdit]:
        return [self.stateEdit, self.makeEdit, self.modelEdit, self.colorEdit, self.bodyEdit]

    def _tick_pending(self) -> None:
        if not self._pending_cameras or not self.cameraList.count():
            return
        for i in range(self.cameraList.count()):
            item = self.cameraList.item(i)
            if int(item.data(Qt.ItemDataRole.UserRole)) in self._pending_cameras:
                item.setCheckState(Qt.CheckState.Checked)
        self._pending_cameras = []

    def set_cameras(self, cameras: list[Camera]) -> None:
        self.cameraList.clear()
        for cam in cameras:
            item = QListWidgetItem(cam.name)
            item.setToolTip(cam.location)
            item.setData(Qt.ItemDataRole.UserRole, cam.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.cameraList.addItem(item)
        self._tick_pending()

    def filters(self) -> Filters:
        """The panel as Filters; raises SearchInputError with a sentence."""
        data = self.windowCombo.currentData()
        since = until = None
        preset = data if isinstance(data, TimePreset) else None
        if data == "custom":
            since = self.fromEdit.dateTime().toSecsSinceEpoch()
            until = self.toEdit.dateTime().toSecsSinceEpoch()
        tod = None
        if self.todCheck.isChecked():
            start, end = self.todFrom.time().toPython(), self.todTo.time().toPython()
            assert isinstance(start, dt_time) and isinstance(end, dt_time)
            tod = TimeOfDay.of(start, end)
        cams = tuple(
            int(self.cameraList.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.cameraList.count())
            if self.cameraList.item(i).checkState() == Qt.CheckState.Checked
        )
        smin = self.speedMin.value() or None
        smax = self.speedMax.value() or None
        conf = self.confMin.value() / 100 if self.confMin.value() else None
        return Filters(
            since=since, until=until, preset=preset, time_of_day=tod, camera_ids=cams,
            states=_split(self.stateEdit.text()), makes=_split(self.makeEdit.text()),
            models=_split(self.modelEdit.text()), colors=_split(self.colorEdit.text()),
            body_types=_split(self.bodyEdit.text()), speed_min=smin, speed_max=smax,
            min_confidence=conf,
        )
