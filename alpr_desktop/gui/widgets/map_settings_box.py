"""The administrator's settings of the investigator's views: the agency basemap file
(GeoJSON or GeoPackage street lines, or MBTiles raster tiles; empty for the coordinate grid)
and the widest window a description search may ask for. Each change goes through the service,
which checks it (the basemap file must load) and logs it as a settings change."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.basemap import Basemap, BasemapError
from alpr_desktop.core.description_query import MAX_WINDOW_DAYS_LIMIT
from alpr_desktop.core.search import SearchInputError
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller


class MapSettingsBox(QGroupBox):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__("Map and description search", parent)
        self.setObjectName("mapSettings")
        self.controller = controller
        self.pathEdit = QLineEdit()
        self.pathEdit.setObjectName("basemapPath")
        self.pathEdit.setPlaceholderText("none: the map draws a coordinate grid")
        self.pathEdit.setAccessibleName("Basemap file (GeoJSON, GeoPackage or MBTiles)")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        self.saveBasemapButton = QPushButton("Save &Basemap")
        self.saveBasemapButton.clicked.connect(self.save_basemap)
        row = QHBoxLayout()
        row.addWidget(self.pathEdit, 1)
        row.addWidget(browse)
        row.addWidget(self.saveBasemapButton)
        self.daysSpin = QSpinBox()
        self.daysSpin.setObjectName("descriptionDays")
        self.daysSpin.setRange(1, MAX_WINDOW_DAYS_LIMIT)
        self.daysSpin.setSuffix(" days")
        self.saveDaysButton = QPushButton("Save &Window")
        self.saveDaysButton.clicked.connect(self.save_days)
        days_row = QHBoxLayout()
        days_row.addWidget(self.daysSpin)
        days_row.addWidget(self.saveDaysButton)
        days_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Agency basemap file:", row)
        form.addRow("Widest description-search window:", days_row)
        self.message = QLabel("The program never fetches map data from a network: the "
                              "basemap is a file your agency provides.")
        self.message.setObjectName("mapSettingsMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        name_controls(self)

    def refresh(self) -> None:
        def work(s: Any, _ctx: Any) -> tuple[str, int]:
            return s.views.basemap_path(), s.views.description_max_days()

        def done(r: tuple[str, int]) -> None:
            self.pathEdit.setText(r[0])
            self.daysSpin.setValue(r[1])

        self.controller.run(work, done, lambda _e: None)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Agency basemap", self.pathEdit.text(),
            "Basemaps (*.geojson *.json *.gpkg *.mbtiles)")
        if path:
            self.pathEdit.setText(path)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(palette.text_style(palette.ERROR_TEXT) if error else "")
        self.message.setText(text)

    def save_basemap(self) -> None:
        path = self.pathEdit.text().strip()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BasemapError):
                self._say(f"Not saved: {exc}", error=True)
            else:
                show_problem(self, exc)

        def done(b: Basemap) -> None:
            self._say("Saved (logged). The map now shows " + b.label + ".")

        self.controller.run(lambda s, ctx: s.views.set_basemap_path(ctx, path), done, failed)

    def save_days(self) -> None:
        days = self.daysSpin.value()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SearchInputError):
                self._say(str(exc), error=True)
            else:
                show_problem(self, exc)

        self.controller.run(lambda s, ctx: s.views.set_description_max_days(ctx, days),
                            lambda _r: self._say(f"Saved (logged): description searches "
                                                 f"reach at most {days} days."), failed)


def install_map_settings(view: QWidget, controller: Controller) -> MapSettingsBox:
    """Add the box to the Security settings screen, above its status line."""
    box = MapSettingsBox(controller, view)
    layout = view.layout()
    status = getattr(view, "statusLabel", None)
    if isinstance(layout, QVBoxLayout):
        at = layout.indexOf(status) if status is not None else -1
        layout.insertWidget(at if at >= 0 else layout.count(), box)
    view.map_settings = box  # type: ignore[attr-defined]
    box.refresh()
    return box
