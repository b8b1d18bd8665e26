"""A map of cameras and sightings drawn with QGraphicsView, offline.

Scene coordinates are Web Mercator world pixels at ``SCENE_ZOOM`` (core.map_projection), so a
known longitude and latitude always land on one scene point; the view's transform zooms. The
background is the agency's basemap (street lines or MBTiles raster tiles) or, without one, a
coordinate grid; the foreground carries the scale bar. Sightings are clustered on a grid of
screen cells that is rebuilt when the zoom changes, so ten thousand reads are a few hundred
items. For one plate, ``set_route`` draws its path in time order with arrows and times, and
``step_route`` moves the marker forward or back.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from alpr_desktop.core.basemap import GRID, Basemap
from alpr_desktop.core.clock import to_local
from alpr_desktop.core.map_projection import (
    MAX_LAT,
    TILE,
    Bounds,
    grid_step,
    metres_per_pixel,
    nice_scale,
    project,
    unproject,
)
from alpr_desktop.core.sightings import CameraSite, Sighting
from alpr_desktop.gui import palette

SCENE_ZOOM = 17
CLUSTER_PX = 28  # screen pixels per cluster cell
MIN_SCALE, MAX_SCALE = 1 / 64, 8.0
CAMERA_COLOR = palette.MAP_CAMERA
SIGHTING_COLOR = palette.MAP_SIGHTING
OWN_POSITION_COLOR = palette.MAP_OWN_POSITION
LOOKALIKE_COLOR = palette.MAP_LOOKALIKE
SELECTED_COLOR = palette.MAP_SELECTED
ROUTE_COLOR = palette.MAP_ROUTE
STREET_COLOR = palette.MAP_STREET
GRID_COLOR = palette.MAP_GRID
BACKGROUND = palette.MAP_BACKGROUND


def project_many(lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """core.map_projection.project over arrays (the same formula, at SCENE_ZOOM)."""
    size = TILE * float(2 ** SCENE_ZOOM)
    s = np.sin(np.radians(np.clip(lats, -MAX_LAT, MAX_LAT)))
    return ((lons + 180.0) / 360.0 * size,
            (0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)) * size)


def grid_clusters(xs: np.ndarray, ys: np.ndarray, ids: np.ndarray, cell: float
                  ) -> list[tuple[float, float, list[int]]]:
    """core.map_projection.cluster over arrays: points grouped into ``cell``-wide grid
    cells, each group as its mean position and member ids."""
    if not len(xs):
        return []
    cx = np.floor(xs / cell).astype(np.int64)
    cy = np.floor(ys / cell).astype(np.int64)
    keys = cx * (1 << 31) + cy
    uniq, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse)
    mx = np.bincount(inverse, weights=xs) / counts
    my = np.bincount(inverse, weights=ys) / counts
    order = np.argsort(inverse, kind="stable")
    members = np.split(ids[order], np.cumsum(counts)[:-1])
    return [(float(mx[i]), float(my[i]), members[i].tolist()) for i in range(len(uniq))]


def scene_point(lon: float, lat: float) -> QPointF:
    x, y = project(lon, lat, SCENE_ZOOM)
    return QPointF(x, y)


_FONTS: list[QFont] = []


def _count_font() -> QFont:
    """The clusters' count font, made once (a zoom rebuilds hundreds of clusters)."""
    if not _FONTS:
        f = QFont()
        f.setPointSizeF(7.5)
        f.setBold(True)
        _FONTS.append(f)
    return _FONTS[0]


class ClusterItem(QGraphicsEllipseItem):
    """One or more sightings at one place on screen; the number says how many."""

    def __init__(self, pos: QPointF, ids: list[int], color: QColor) -> None:
        n = len(ids)
        r = 6.0 if n == 1 else min(18.0, 8.0 + 2.5 * math.log2(n))
        super().__init__(-r, -r, 2 * r, 2 * r)
        self.read_ids = ids
        self.setPos(pos)
        self.setBrush(QBrush(color))
        self.setPen(QPen(palette.MAP_OUTLINE, 1.5))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(20)
        self.setToolTip(f"{n:,} sightings here" if n > 1 else "1 sighting")
        if n > 1:
            label = QGraphicsSimpleTextItem(f"{n:,}" if n < 1000 else f"{n // 1000}k", self)
            label.setBrush(QBrush(palette.MAP_OUTLINE))
            label.setFont(_count_font())
            br = label.boundingRect()
            label.setPos(-br.width() / 2, -br.height() / 2)


ROUTE_LABEL, CAMERA_LABEL, STREET_LABEL = 0, 1, 2  # placement priority: first placed wins
LABEL_CELL = 64  # screen pixels per cell of the placement grid
SCALE_BAR_STRIP = 40  # screen pixels at the bottom holding the scale bar
GRID_LABEL_STRIP, GRID_LABEL_WIDTH = 16, 72  # the grid's longitude and latitude labels


class MapLabel(QGraphicsSimpleTextItem):
    """A label kept at a fixed screen offset from its anchor (the item's scene position);
    ``offsets`` are the places it may take, best first (see MapView._declutter)."""

    def __init__(self, text: str, priority: int, offsets: Sequence[tuple[float, float]],
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(text, parent)
        self.priority = priority
        self.offsets = tuple(offsets)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.place(*self.offsets[0])

    def place(self, dx: float, dy: float) -> None:
        self.setTransform(QTransform.fromTranslate(dx, dy))

    def size(self) -> tuple[float, float]:
        """Its text's width and height in screen pixels (asked of Qt once: the text and
        font do not change once it is on the map)."""
        if self._size is None:
            br = self.boundingRect()
            self._size = (br.width(), br.height())
        return self._size

    _size: tuple[float, float] | None = None


def beside(w: float, h: float, gap: float) -> list[tuple[float, float]]:
    """Offsets of a w×h label around a marker ``gap`` pixels wide: right, left, above,
    below, then the corners."""
    return [(gap, -h / 2), (-gap - w, -h / 2), (-w / 2, -gap - h), (-w / 2, gap),
            (gap, -gap - h + 2), (gap, gap - 2), (-gap - w, -gap - h + 2), (-gap - w, gap - 2)]


Box = tuple[float, float, float, float]  # left, top, right, bottom in screen pixels


class _Grid:
    """Screen boxes bucketed in LABEL_CELL cells, for quick overlap tests (plain floats:
    placement runs on every zoom, and a Qt call per comparison cost more than the test)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    @staticmethod
    def _keys(b: Box) -> list[tuple[int, int]]:
        x0, x1 = int(b[0] // LABEL_CELL), int(b[2] // LABEL_CELL)
        y0, y1 = int(b[1] // LABEL_CELL), int(b[3] // LABEL_CELL)
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    def add(self, b: Box) -> None:
        for k in self._keys(b):
            self.cells.setdefault(k, []).append(b)

    def hits(self, b: Box) -> bool:
        x0, y0, x1, y1 = b
        for k in self._keys(b):
            for a0, b0, a1, b1 in self.cells.get(k, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
        return False

    def count(self, b: Box) -> int:
        x0, y0, x1, y1 = b
        return len({o for k in self._keys(b) for o in self.cells.get(k, ())
                    if x0 < o[2] and o[0] < x1 and y0 < o[3] and o[1] < y1})


class MapView(QGraphicsView):
    reads_clicked = Signal(list)  # read ids under the click (a cluster's members)
    view_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.setAccessibleName("Map of cameras and sightings")
        self.map_scene = QGraphicsScene(self)
        # a few hundred items, many of them rebuilt on each zoom: no BSP index to keep
        self.map_scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self.map_scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.basemap: Basemap = GRID
        self.sightings: list[Sighting] = []
        self._xs = self._ys = np.zeros(0)
        self._ids = np.zeros(0, np.int64)
        self._groups = np.zeros(0, np.int8)
        self._by_id: dict[int, Sighting] = {}
        self.cameras: list[CameraSite] = []
        self.route: list[Sighting] = []
        self.route_step = -1
        self.selected_read: int | None = None
        self._clusters: list[ClusterItem] = []
        self._selected_item: QGraphicsEllipseItem | None = None
        self._route_items: list[QGraphicsItem] = []
        self._route_marker: QGraphicsEllipseItem | None = None
        self._basemap_items: list[QGraphicsItem] = []
        self._camera_items: list[QGraphicsItem] = []
        self._labels: list[MapLabel] = []  # placed route first, then cameras, then streets
        self._cluster_scale = 0.0
        self._recluster = QTimer(self)
        self._recluster.setSingleShot(True)
        self._recluster.setInterval(0)
        self._recluster.timeout.connect(self._rebuild_clusters)
        self._relabel = QTimer(self)  # labels re-placed once a pan or resize comes to rest
        self._relabel.setSingleShot(True)
        self._relabel.setInterval(150)
        self._relabel.timeout.connect(self._relabel_if_moved)
        self._placed_at: tuple[int, int, int, int, float] | None = None
        self._place_labels = QTimer(self)
        self._place_labels.setSingleShot(True)
        self._place_labels.setInterval(0)
        self._place_labels.timeout.connect(self._declutter)
        self.map_scene.setSceneRect(QRectF(0, 0, TILE * 2 ** SCENE_ZOOM, TILE * 2 ** SCENE_ZOOM))
        self.setBackgroundBrush(QBrush(BACKGROUND))

    # -- content -------------------------------------------------------------------------------
    def set_basemap(self, basemap: Basemap) -> None:
        for item in self._basemap_items:
            if item in self._labels:
                self._labels.remove(item)
            self.map_scene.removeItem(item)
        self._basemap_items = []
        self.basemap = basemap
        if basemap.kind == "lines":
            path = QPainterPath()
            pen = QPen(STREET_COLOR, 2.5)
            pen.setCosmetic(True)
            for line in basemap.lines:
                pts = [scene_point(lon, lat) for lon, lat in line.points]
                path.moveTo(pts[0])
                for p in pts[1:]:
                    path.lineTo(p)
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setZValue(1)
            self.map_scene.addItem(item)
            self._basemap_items.append(item)
            for line in basemap.lines:
                if not line.name:
                    continue
                a, b = line.points[0], line.points[-1]
                mid = scene_point((a[0] + b[0]) / 2 + 0.0008, (a[1] + b[1]) / 2 + 0.0003)
                label = MapLabel(line.name, STREET_LABEL, [(0, 0)])
                label.setBrush(QBrush(palette.MAP_STREET_NAME))
                w, h = label.boundingRect().width(), label.boundingRect().height()
                label.offsets = ((0, 0), (0, -h - 4), (-w - 8, 0), (40, 0), (-40, 0),
                                 (0, 40), (0, -40), (0, 80), (0, -80))
                label.setPos(mid)
                label.setZValue(2)
                self.map_scene.addItem(label)
                self._basemap_items.append(label)
                self._labels.append(label)
        elif basemap.kind == "tiles" and basemap.raster is not None:
            r = basemap.raster
            factor = 2 ** (SCENE_ZOOM - r.zoom)
            for (x, y), data in r.tiles.items():
                pix = QPixmap()
                if not pix.loadFromData(data):
                    continue
                item = self.map_scene.addPixmap(pix)
                item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                item.setScale(factor * TILE / max(1, pix.width()))
                item.setPos(x * TILE * factor, y * TILE * factor)
                item.setZValue(0)
                self._basemap_items.append(item)
        self._request_labels()
        self.viewport().update()

    def set_cameras(self, cameras: Sequence[CameraSite]) -> None:
        for item in self._camera_items:
            if item in self._labels:
                self._labels.remove(item)
            self.map_scene.removeItem(item)
        self._camera_items = []
        self.cameras = list(cameras)
        seen: set[tuple[float, float]] = set()
        for cam in self.cameras:
            pos = scene_point(cam.longitude, cam.latitude)
            square = self.map_scene.addRect(QRectF(-4, -4, 8, 8), QPen(palette.MAP_OUTLINE, 1),
                                            QBrush(CAMERA_COLOR))
            square.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            square.setPos(pos)
            square.setZValue(10)
            square.setToolTip(f"Camera {cam.name}" + (f"\n{cam.location}" if cam.location
                                                       else ""))
            self._camera_items.append(square)
            key = (round(cam.longitude, 4), round(cam.latitude, 4))
            if key in seen:  # several cameras at one crossing: one label
                continue
            seen.add(key)
            label = MapLabel(cam.location or cam.name, CAMERA_LABEL, [(6, -6)])
            f = QFont()
            f.setPointSizeF(7.5)
            label.setFont(f)
            label.setBrush(QBrush(CAMERA_COLOR))
            br = label.boundingRect()
            label.offsets = tuple(beside(br.width(), br.height(), 7))
            label.place(*label.offsets[0])
            label.setPos(pos)
            label.setZValue(11)
            self.map_scene.addItem(label)
            self._camera_items.append(label)
            self._labels.append(label)
        self._request_labels()

    def set_sightings(self, sightings: Sequence[Sighting]) -> None:
        """Project every sighting once (vectorized); zooming only re-groups them."""
        self.sightings = list(sightings)
        self._xs, self._ys = project_many(
            np.fromiter((s.longitude for s in self.sightings), float, len(self.sightings)),
            np.fromiter((s.latitude for s in self.sightings), float, len(self.sightings)))
        self._ids = np.fromiter((s.read_id for s in self.sightings), np.int64,
                                len(self.sightings))
        self._groups = np.fromiter(
            (2 if s.kind != "exact" else 1 if s.own_position else 0 for s in self.sightings),
            np.int8, len(self.sightings))
        self._by_id = {s.read_id: s for s in self.sightings}
        self._cluster_scale = 0.0
        self._recluster.start()  # grouped once, with a fit_all that usually follows

    def bounds(self) -> Bounds | None:
        pts = [(s.longitude, s.latitude) for s in self.sightings]
        pts += [(c.longitude, c.latitude) for c in self.cameras]
        return Bounds.around(pts)

    def fit_all(self) -> None:
        b = self.bounds()
        if b is None:
            return
        tl, br = scene_point(b.west, b.north), scene_point(b.east, b.south)
        self.fitInView(QRectF(tl, br), Qt.AspectRatioMode.KeepAspectRatio)
        self._clamp_scale()
        self._schedule_recluster()
        if not self._recluster.isActive():  # else the regrouping places them
            self._request_labels()

    def center_on(self, lon: float, lat: float) -> None:
        self.centerOn(scene_point(lon, lat))
        self.view_changed.emit()

    def set_scale(self, scale: float) -> None:
        """Screen pixels per scene pixel (1.0: map zoom SCENE_ZOOM)."""
        centre = self.mapToScene(self.viewport().rect().center())
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(centre)
        self._schedule_recluster()

    @property
    def current_scale(self) -> float:
        return self.transform().m11()

    def lonlat_at(self, viewport_pos: QPointF) -> tuple[float, float]:
        p = self.mapToScene(viewport_pos.toPoint())
        return unproject(p.x(), p.y(), SCENE_ZOOM)

    # -- clusters ------------------------------------------------------------------------------
    def _schedule_recluster(self) -> None:
        if abs(self.current_scale - self._cluster_scale) > 1e-9:
            self._recluster.start()
        self.view_changed.emit()

    def _rebuild_clusters(self) -> None:
        for item in self._clusters:
            self.map_scene.removeItem(item)
        self._clusters = []
        scale = self.current_scale or 1.0
        self._cluster_scale = scale
        cell = CLUSTER_PX / scale  # scene pixels per screen cell
        colours = (SIGHTING_COLOR, OWN_POSITION_COLOR, LOOKALIKE_COLOR)
        for group, colour in enumerate(colours):
            picked = self._groups == group
            if not picked.any():
                continue
            for x, y, ids in grid_clusters(self._xs[picked], self._ys[picked],
                                           self._ids[picked], cell):
                item = ClusterItem(QPointF(x, y), ids, colour)
                self.map_scene.addItem(item)
                self._clusters.append(item)
        self._show_selected()
        self._declutter()

    def _declutter(self) -> None:
        """Greedy label placement: route labels first, then camera names, then street names,
        each at the first of its offsets that covers neither a marker (camera, cluster,
        arrow, the route's marker) nor a label already placed, and stays in view; hidden
        where none is free (its camera's tooltip and a closer zoom show it). Offsets are in
        screen pixels, so a pan keeps the placement; it is redone on a zoom and once a pan
        or a resize comes to rest."""
        self._place_labels.stop()
        self._placed_at = self._view_state()
        if not self._labels:
            return
        taken = _Grid()
        for item in (*self._camera_items, *self._clusters, *self._route_items,
                     self._selected_item):
            if item is None or isinstance(item, MapLabel | QGraphicsPathItem) \
                    or not item.isVisible():
                continue
            at = self.mapFromScene(item.pos())
            r = item.boundingRect()
            taken.add((at.x() + r.left(), at.y() + r.top(), at.x() + r.right(),
                       at.y() + r.bottom()))
        for box in self._route_line_boxes():
            taken.add(box)
        vw, vh = self.viewport().width(), self.viewport().height()
        for label in sorted(self._labels, key=lambda x: x.priority):
            at = self.mapFromScene(label.pos())
            w, h = label.size()
            x, y = at.x() - 2, at.y() - 1
            if label.priority != ROUTE_LABEL and not (
                    -w - 80 < x < vw + 80 and -h - 80 < y < vh + 80):  # far out of view
                label.setVisible(False)
                continue
            boxes = ((x + dx, y + dy, x + dx + w + 4, y + dy + h + 2, dx, dy)
                     for dx, dy in label.offsets)
            free = next((b for b in boxes if b[0] >= 0 and b[1] >= 0 and b[2] <= vw
                         and b[3] <= vh and not taken.hits(b[:4])), None)
            if free is None and label.priority == ROUTE_LABEL:  # a route's times always show
                free = min(((x + dx, y + dy, x + dx + w + 4, y + dy + h + 2, dx, dy)
                            for dx, dy in label.offsets),
                           key=lambda b: (taken.count(b[:4]), b[0] < 0 or b[1] < 0
                                          or b[2] > vw or b[3] > vh))
            label.setVisible(free is not None)
            if free is not None:
                label.place(free[4], free[5])
                taken.add(free[:4])

    def _view_state(self) -> tuple[int, int, int, int, float]:
        return (self.horizontalScrollBar().value(), self.verticalScrollBar().value(),
                self.viewport().width(), self.viewport().height(), self.current_scale)

    def _relabel_if_moved(self) -> None:
        """After a pan or resize comes to rest: place again unless nothing moved since the
        last placement (a fit scrolls, then its regrouping places the labels)."""
        if self._view_state() != self._placed_at:
            self._declutter()

    def _request_labels(self) -> None:
        """Place the labels once the current burst of changes is done (set_basemap,
        set_cameras, set_route and fit_all often come together)."""
        self._place_labels.start()

    @property
    def labels_pending(self) -> bool:
        return (self._place_labels.isActive() or self._recluster.isActive()
                or self._relabel.isActive())

    def _route_line_boxes(self, step: float = 10.0, limit: int = 4000) -> list[Box]:
        """Small boxes along the route's distinct legs on screen, so no label covers the
        line (at most ``limit`` boxes: a long route's labels may then touch its line)."""
        pts = [QPointF(self.mapFromScene(scene_point(s.longitude, s.latitude)))
               for s in self.route]
        legs = {((round(a.x()), round(a.y())), (round(b.x()), round(b.y())))
                for a, b in itertools.pairwise(pts)}
        boxes: list[Box] = []
        for (ax, ay), (bx, by) in legs:
            n = max(1, int(math.hypot(bx - ax, by - ay) / step))
            for k in range(n + 1):
                x, y = ax + (bx - ax) * k / n, ay + (by - ay) * k / n
                boxes.append((x - 3, y - 3, x + 3, y + 3))
                if len(boxes) >= limit:
                    return boxes
        return boxes

    @property
    def cluster_count(self) -> int:
        return len(self._clusters)

    # -- selection -----------------------------------------------------------------------------
    def select_read(self, read_id: int | None) -> None:
        """Highlight one read (in step with the table); None clears."""
        self.selected_read = read_id
        self._show_selected()

    def _show_selected(self) -> None:
        if self._selected_item is not None:
            self.map_scene.removeItem(self._selected_item)
            self._selected_item = None
        s = self._by_id.get(self.selected_read) if self.selected_read is not None else None
        if s is None:
            return
        ring = QGraphicsEllipseItem(-11, -11, 22, 22)
        pen = QPen(SELECTED_COLOR, 3)
        ring.setPen(pen)
        ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        ring.setPos(scene_point(s.longitude, s.latitude))
        ring.setZValue(40)
        self.map_scene.addItem(ring)
        self._selected_item = ring

    def selected_pos(self) -> QPointF | None:
        return self._selected_item.pos() if self._selected_item is not None else None

    def ensure_selected_visible(self) -> None:
        if self._selected_item is not None:
            self.ensureVisible(QRectF(self._selected_item.pos() - QPointF(1, 1),
                                      self._selected_item.pos() + QPointF(1, 1)), 40, 40)

    # -- route -----------------------------------------------------------------------------------
    def set_route(self, sightings: Sequence[Sighting]) -> None:
        """One plate's path through its sightings in time order, with arrows and times."""
        for item in self._route_items:
            if item in self._labels:
                self._labels.remove(item)
            self.map_scene.removeItem(item)
        self._route_items = []
        self._route_marker = None
        self.route = sorted(sightings, key=lambda s: (s.recorded_at, s.read_id))
        self.route_step = -1
        if len(self.route) < 1:
            return
        pts = [scene_point(s.longitude, s.latitude) for s in self.route]
        path = QPainterPath(pts[0])
        for p in pts[1:]:
            path.lineTo(p)
        pen = QPen(ROUTE_COLOR, 2.5)
        pen.setCosmetic(True)
        line = self.map_scene.addPath(path, pen)
        line.setZValue(15)
        self._route_items.append(line)
        for a, b in itertools.pairwise(pts):
            if (a - b).manhattanLength() < 1e-6:
                continue
            arrow = self.map_scene.addPolygon(
                QPolygonF([QPointF(7, 0), QPointF(-5, -5), QPointF(-5, 5)]),
                QPen(ROUTE_COLOR), QBrush(ROUTE_COLOR))
            arrow.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            arrow.setPos(a + (b - a) * 0.4)  # off centre: there and back stay apart
            arrow.setRotation(math.degrees(math.atan2(b.y() - a.y(), b.x() - a.x())))
            arrow.setZValue(16)
            self._route_items.append(arrow)
        by_place: dict[tuple[int, int], list[int]] = {}
        for n, p in enumerate(pts):
            by_place.setdefault((int(p.x()), int(p.y())), []).append(n)
        for steps in by_place.values():
            p = pts[steps[0]]
            if len(steps) <= 3:
                lines = [f"{n + 1}. {to_local(self.route[n].recorded_at):%m-%d %H:%M}"
                         for n in steps]
            else:
                first, last = self.route[steps[0]], self.route[steps[-1]]
                lines = [f"{len(steps)} sightings (#{steps[0] + 1}–#{steps[-1] + 1})",
                         f"{to_local(first.recorded_at):%m-%d %H:%M} to "
                         f"{to_local(last.recorded_at):%m-%d %H:%M}"]
            label = MapLabel("\n".join(lines), ROUTE_LABEL, [(20, 8)])
            f = QFont()
            f.setPointSizeF(7.5)
            label.setFont(f)
            label.setBrush(QBrush(ROUTE_COLOR))
            br = label.boundingRect()
            label.offsets = ((20, 8), *beside(br.width(), br.height(), 20),
                             *beside(br.width(), br.height(), 44))
            label.place(*label.offsets[0])
            label.setPos(p)
            label.setZValue(17)
            self.map_scene.addItem(label)
            self._route_items.append(label)
            self._labels.append(label)
        marker = QGraphicsEllipseItem(-8, -8, 16, 16)
        marker.setBrush(QBrush(ROUTE_COLOR))
        marker.setPen(QPen(palette.MAP_OUTLINE, 2))
        marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        marker.setZValue(45)
        marker.setVisible(False)
        self.map_scene.addItem(marker)
        self._route_items.append(marker)
        self._route_marker = marker
        self._request_labels()

    def step_route(self, delta: int) -> Sighting | None:
        """Move the route marker ``delta`` sightings forward (or back); the sighting it is on."""
        if not self.route or self._route_marker is None:
            return None
        self.route_step = max(0, min(len(self.route) - 1, self.route_step + delta))
        s = self.route[self.route_step]
        self._route_marker.setPos(scene_point(s.longitude, s.latitude))
        self._route_marker.setVisible(True)
        return s

    def route_marker_pos(self) -> QPointF | None:
        m = self._route_marker
        return m.pos() if m is not None and m.isVisible() else None

    # -- painting --------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        super().drawBackground(painter, rect)
        if self.basemap.kind != "grid":
            return
        west, north = unproject(rect.left(), rect.top(), SCENE_ZOOM)
        east, south = unproject(rect.right(), rect.bottom(), SCENE_ZOOM)
        step = grid_step(max(east - west, north - south))
        pen = QPen(GRID_COLOR, 1)
        pen.setCosmetic(True)
        painter.setPen(pen)
        lon = math.floor(west / step) * step
        while lon <= east:
            x = project(lon, 0, SCENE_ZOOM)[0]
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
            lon += step
        lat = math.floor(south / step) * step
        while lat <= north:
            y = project(0, lat, SCENE_ZOOM)[1]
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            lat += step

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """The scale bar and the grid's labels, in screen pixels."""
        painter.save()
        painter.resetTransform()
        vp = self.viewport().rect()
        centre = self.mapToScene(vp.center())
        _lon, lat = unproject(centre.x(), centre.y(), SCENE_ZOOM)
        m_per_px = metres_per_pixel(lat, SCENE_ZOOM) / (self.current_scale or 1.0)
        metres, label = nice_scale(120 * m_per_px)
        if metres > 0:
            width = metres / m_per_px
            x0, y0 = 12.0, vp.height() - 16.0
            painter.fillRect(QRectF(x0 - 4, y0 - 18, width + 60, 26), palette.MAP_SCALE_BACKDROP)
            painter.setPen(QPen(palette.MAP_CAMERA, 2))
            painter.drawLine(QPointF(x0, y0), QPointF(x0 + width, y0))
            painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0 + 3))
            painter.drawLine(QPointF(x0 + width, y0 - 5), QPointF(x0 + width, y0 + 3))
            painter.drawText(QPointF(x0 + width + 6, y0 + 4), label)
        if self.basemap.kind == "grid":
            painter.setPen(QPen(palette.MAP_GRID_TEXT))
            tl = self.mapToScene(vp.topLeft())
            br = self.mapToScene(vp.bottomRight())
            west, north = unproject(tl.x(), tl.y(), SCENE_ZOOM)
            east, south = unproject(br.x(), br.y(), SCENE_ZOOM)
            step = grid_step(max(east - west, north - south))
            digits = max(0, -math.floor(math.log10(step)))
            lon = math.ceil(west / step) * step
            while lon <= east:
                x = self.mapFromScene(QPointF(project(lon, 0, SCENE_ZOOM)[0], tl.y())).x()
                painter.drawText(QPointF(x + 3, 12), f"{lon:.{digits}f}°")
                lon += step
            lat_v = math.ceil(south / step) * step
            while lat_v <= north:
                y = self.mapFromScene(QPointF(tl.x(), project(0, lat_v, SCENE_ZOOM)[1])).y()
                painter.drawText(QPointF(3, y - 3), f"{lat_v:.{digits}f}°")
                lat_v += step
        painter.restore()

    # -- input -------------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.zoom_by(factor)

    def zoom_by(self, factor: float) -> None:
        target = self.current_scale * factor
        if not MIN_SCALE <= target <= MAX_SCALE:
            return
        self.scale(factor, factor)
        self._schedule_recluster()

    def _clamp_scale(self) -> None:
        s = self.current_scale
        if s > MAX_SCALE:
            self.set_scale(MAX_SCALE)
        elif s < MIN_SCALE:
            self.set_scale(MIN_SCALE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit_all()
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        for item in self.items(event.position().toPoint()):
            if isinstance(item, ClusterItem):
                self.reads_clicked.emit(list(item.read_ids))
                return
            parent = item.parentItem()
            if isinstance(parent, ClusterItem):
                self.reads_clicked.emit(list(parent.read_ids))
                return

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """A pan moves what is already drawn (Qt scrolls the viewport's pixels and paints only
        the uncovered strip); only the foreground's screen-space parts are repainted: the
        scale bar and, over the grid, its edge labels."""
        super().scrollContentsBy(dx, dy)
        vp = self.viewport().rect()
        self.viewport().update(QRect(0, vp.height() - SCALE_BAR_STRIP, vp.width(),
                                     SCALE_BAR_STRIP))
        if self.basemap.kind == "grid":
            self.viewport().update(QRect(0, 0, vp.width(), GRID_LABEL_STRIP))
            self.viewport().update(QRect(0, 0, GRID_LABEL_WIDTH, vp.height()))
        self._relabel.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relabel.start()
