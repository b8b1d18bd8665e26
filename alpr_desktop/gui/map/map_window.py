"""The map window: a result set or a profile on the map beside its table, in step both ways,
and for one plate its route in time order, played forward and back.

The sightings come from the gated service (``views.sightings``: a "map.view" entry naming
the reads); camera places and the basemap are configuration. Everything is loaded on a
worker; nothing is fetched from any network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.basemap import Basemap
from alpr_desktop.core.clock import format_local
from alpr_desktop.core.map_projection import Bounds
from alpr_desktop.core.sightings import CameraSite, MapSightings, Sighting
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller, RunWork
from alpr_desktop.gui.map.map_view import MapView
from alpr_desktop.gui.models.view_rows import SightingsModel
from alpr_desktop.gui.widgets.read_table import read_table

PLAY_INTERVAL_MS = 900


@dataclass(frozen=True)
class MapData:
    sightings: MapSightings
    cameras: list[CameraSite]
    basemap: Basemap


def load_map(s: Any, ctx: Any, read_ids: list[int]) -> MapData:
    """The worker's body: the gated sightings, then the places and the basemap around them."""
    found: MapSightings = s.views.sightings(ctx, read_ids)
    cameras: list[CameraSite] = s.views.camera_sites()
    pts = [(x.longitude, x.latitude) for x in found.sightings] or \
        [(c.longitude, c.latitude) for c in cameras]
    return MapData(found, cameras, s.views.basemap(Bounds.around(pts, 0.01)))


class MapWindow(QDialog):
    open_read_requested = Signal(int, list)  # read id, the ids to step through
    loaded = Signal()

    def __init__(self, controller: Controller, read_ids: list[int], *, title: str,
                 kinds: dict[int, str] | None = None, route_plate: str | None = None,
                 parent: QWidget | None = None, run: RunWork | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapWindow")
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.controller = controller
        self._run = controller.run if run is None else run  # the search screen's: run_kept
        self.read_ids = list(read_ids)
        self.kinds = dict(kinds or {})
        self.route_plate = route_plate
        self.data: MapData | None = None
        self.map = MapView()
        self.model = SightingsModel(self)
        self.table = read_table(self.model, "sightingsTable", "Sightings on the map",
                                self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.map.reads_clicked.connect(self._map_clicked)

        self.backButton = QPushButton("◀ &Back")
        self.playButton = QPushButton("&Play")
        self.forwardButton = QPushButton("&Forward ▶")
        self.routeButton = QPushButton("&Route of Selected Plate")
        self.fitButton = QPushButton("Show &All")
        self.openButton = QPushButton("Open &Images…")
        self.backButton.clicked.connect(lambda: self.step(-1))
        self.forwardButton.clicked.connect(lambda: self.step(1))
        self.playButton.clicked.connect(self.toggle_play)
        self.routeButton.clicked.connect(self.route_of_selected)
        self.fitButton.clicked.connect(self.map.fit_all)
        self.openButton.clicked.connect(self.open_selected)
        self.routeLabel = QLabel()
        self.routeLabel.setObjectName("routeLabel")
        self.routeLabel.setWordWrap(True)
        self.statusLabel = QLabel("Loading the map…")
        self.statusLabel.setObjectName("mapStatus")
        self.statusLabel.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setInterval(PLAY_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)

        controls = QHBoxLayout()
        for b in (self.backButton, self.playButton, self.forwardButton, self.routeButton,
                  self.fitButton, self.openButton):
            controls.addWidget(b)
        controls.addStretch(1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.table)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.map)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([620, 380])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(controls)
        layout.addWidget(self.routeLabel)  # its own line: a long route must not widen the window
        layout.addWidget(self.statusLabel)
        for key, delta in (("Alt+Left", -1), ("Alt+Right", 1)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda d=delta: self.step(d))
        self._set_route_controls()
        self.resize(1000, 660)
        controller.locked.connect(self.close)
        controller.signed_out.connect(self.close)
        name_controls(self)

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> None:
        ids = self.read_ids
        self._run(lambda s, ctx: load_map(s, ctx, ids), self.show_data, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.statusLabel.setText("The map could not be loaded.")
        show_problem(self, exc)

    def show_data(self, data: MapData) -> None:
        self.data = data
        sightings = [replace(s, kind=self.kinds.get(s.read_id, s.kind))
                     for s in data.sightings.sightings]
        self.map.set_basemap(data.basemap)
        self.map.set_cameras(data.cameras)
        self.map.set_sightings(sightings)
        self.model.set_rows(sightings)
        self.table.resizeColumnsToContents()
        self.map.fit_all()
        if self.route_plate:
            self.show_route(self.route_plate)
        unplaced = data.sightings.unplaced
        self.statusLabel.setText(
            f"{len(sightings):,} sighting{'s' if len(sightings) != 1 else ''} on the map"
            + (f"; {unplaced:,} read{'s' if unplaced != 1 else ''} without a place (camera "
               "not placed)" if unplaced else "")
            + f". Background: {data.basemap.label}. Offline: nothing is fetched from any "
              "network. Wheel or +/− zooms, drag pans, 0 shows all.")
        self.loaded.emit()

    # -- selection in step ----------------------------------------------------------------------
    def _table_selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        s = self.model.row_at(rows[0].row()) if rows else None
        self.map.select_read(s.read_id if s else None)
        if s is not None:
            self.map.ensure_selected_visible()

    def _map_clicked(self, ids: list[int]) -> None:
        if ids:
            self.select_read(ids[0])

    def select_read(self, read_id: int) -> None:
        row = self.model.index_of_read(read_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected(self) -> Sighting | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        s = self.selected()
        if s is not None:
            self.open_read_requested.emit(s.read_id, [x.read_id for x in self.model.rows])

    # -- route -------------------------------------------------------------------------------------
    def route_of_selected(self) -> None:
        s = self.selected()
        if s is not None:
            self.show_route(s.plate)

    def show_route(self, plate: str) -> None:
        route = [s for s in self.model.rows if s.plate == plate and s.kind == "exact"]
        self.map.set_route(route)
        self.route_plate = plate
        self._set_route_controls()
        if route:
            self.routeLabel.setText(f"Route of {plate}: {len(route):,} sightings, "
                                    f"{format_local(route[0].recorded_at * 1000)} to "
                                    f"{format_local(route[-1].recorded_at * 1000)}")

    def _set_route_controls(self) -> None:
        has = bool(self.map.route)
        for b in (self.backButton, self.playButton, self.forwardButton):
            b.setEnabled(has)

    def step(self, delta: int) -> None:
        s = self.map.step_route(delta)
        if s is not None:
            self.select_read(s.read_id)
            n = self.map.route_step + 1
            self.routeLabel.setText(f"{self.route_plate}: sighting {n} of "
                                    f"{len(self.map.route)}, "
                                    f"{format_local(s.recorded_at * 1000)} at {s.camera_name}")

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.playButton.setText("&Play")
            return
        if self.map.route_step >= len(self.map.route) - 1:
            self.map.route_step = -1
        self.timer.start()
        self.playButton.setText("&Pause")
        self._tick()

    def _tick(self) -> None:
        if self.map.route_step >= len(self.map.route) - 1:
            self.timer.stop()
            self.playButton.setText("&Play")
            return
        self.step(1)


def open_map(controller: Controller, parent: QWidget, read_ids: list[int], *, title: str,
             kinds: dict[int, str] | None = None, route_plate: str | None = None,
             open_read: Callable[[int, list[int]], Any] | None = None,
             run: RunWork | None = None) -> MapWindow:
    window = MapWindow(controller, read_ids, title=title, kinds=kinds, route_plate=route_plate,
                       parent=parent, run=run)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if open_read is not None:
        window.open_read_requested.connect(open_read)
    window.show()
    window.load()
    return window
