"""Issue 13's map on the demo's own layout (its 40 camera sites, its generated streets and a
route between two of them, as in the screenshot): labels are placed greedily so that none
covers another label or a marker (camera, cluster, arrow, route marker), the route's times
always show, and a pan repaints a strip, not the whole map."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, QRectF
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from alpr_desktop.core.basemap import parse_street_lines
from alpr_desktop.core.sightings import CameraSite, Sighting
from alpr_desktop.demo.cameras import CAMERAS
from alpr_desktop.demo.streets import street_layer_bytes
from alpr_desktop.gui.map.map_view import MapLabel, MapView

T = 1_790_000_000


def _sites() -> list[CameraSite]:
    return [CameraSite(i, c.name, c.latitude, c.longitude, c.location)
            for i, c in enumerate(CAMERAS, start=1)]


def _route(sites: list[CameraSite]) -> list[Sighting]:
    """69 sightings of one plate going back and forth between two crossings (the demo's
    commuter), 30 at Carson St & I-110 and 39 at Wilmington Ave & Sepulveda Blvd."""
    a = next(s for s in sites if s.location == "Carson St at I-110")
    b = next(s for s in sites if s.location == "Wilmington Ave & Sepulveda Blvd")
    return [Sighting(n, "953NJE", T + n * 43_200, s.id, s.name, s.latitude, s.longitude, False)
            for n, s in enumerate([b, a] * 30 + [b] * 9, start=1)]


def _box(view: MapView, item: QGraphicsItem) -> QRectF:
    """Where Qt itself draws the item on the viewport."""
    return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())


@pytest.fixture
def demo_map(qtbot) -> MapView:
    view = MapView()
    qtbot.addWidget(view)
    view.resize(700, 620)  # the map's part of the 1024×700 map window
    view.show()
    qtbot.waitExposed(view)
    sites = _sites()
    view.set_basemap(parse_street_lines(street_layer_bytes(), "demo"))
    view.set_cameras(sites)
    route = _route(sites)
    view.set_sightings(route)
    view.set_route(route)
    view.fit_all()
    qtbot.waitUntil(lambda: view.cluster_count > 0 and not view.labels_pending, timeout=5_000)
    return view


def test_no_label_covers_another_label_or_a_marker(demo_map: MapView) -> None:
    view = demo_map
    items = view.map_scene.items()
    labels = [i for i in items if isinstance(i, MapLabel) and i.isVisible()]
    markers = [i for i in items if not isinstance(i, MapLabel | QGraphicsPathItem)
               and i.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
               and i.isVisible() and i.parentItem() is None]
    assert len(markers) >= 40  # 40 camera squares, the clusters, arrows
    boxes = [(label.text(), _box(view, label)) for label in labels]
    for n, (text, box) in enumerate(boxes):
        for other, obox in boxes[n + 1:]:
            assert not box.intersects(obox), f"{text!r} overlaps {other!r}"
        for m in markers:
            assert not box.intersects(_box(view, m)), f"{text!r} covers a marker"
    texts = {t for t, _b in boxes}
    assert sorted(t.split(" (")[0] for t in texts if "sightings" in t) == [
        "30 sightings", "39 sightings"]  # the route's times show at both places
    cams = {c.location for c in _sites()}
    assert len(texts & cams) >= 20  # most of the 33 crossing names fit at this zoom


def test_labels_that_cannot_fit_are_hidden_not_stacked(qtbot, demo_map: MapView) -> None:
    view = demo_map
    view.set_scale(view.current_scale / 4)  # zoomed far out: the crossings crowd together
    qtbot.waitUntil(lambda: not view.labels_pending, timeout=5_000)
    shown = [i for i in view.map_scene.items() if isinstance(i, MapLabel) and i.isVisible()]
    hidden = [i for i in view.map_scene.items() if isinstance(i, MapLabel)
              and not i.isVisible()]
    assert hidden and shown
    boxes = [_box(view, i) for i in shown]
    assert not any(a.intersects(b) for n, a in enumerate(boxes) for b in boxes[n + 1:])


class _Painted(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects += list(event.region())
        return False


def test_a_pan_repaints_a_strip_not_the_whole_map(qtbot, demo_map: MapView) -> None:
    view = demo_map
    spy = _Painted()
    view.viewport().installEventFilter(spy)
    view.viewport().update()
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=5_000)  # the first, whole paint
    for _ in range(20):  # then until the map is at rest (no paint for 300 ms)
        spy.rects.clear()
        qtbot.wait(300)
        if not spy.rects:
            break
    bar = view.horizontalScrollBar()
    bar.setValue(bar.value() + 12)
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2_000)
    vp = view.viewport().rect()
    painted = sum(r.width() * r.height() for r in spy.rects)
    assert painted < 0.35 * vp.width() * vp.height(), (painted, vp)


def test_showing_a_map_groups_its_sightings_and_places_its_labels_once(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13's draw figure (10,000 sightings in <= 200 ms): the map window's sequence
    (basemap, cameras, sightings, fit, route) regroups and re-places once, not per step."""
    calls = {"_rebuild_clusters": 0, "_declutter": 0}
    for name in calls:
        real = getattr(MapView, name)

        def counted(self: MapView, _real=real, _name=name) -> None:
            calls[_name] += 1
            _real(self)

        monkeypatch.setattr(MapView, name, counted)
    view = MapView()
    qtbot.addWidget(view)
    view.resize(700, 620)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not view.labels_pending, timeout=5_000)  # the resize's own
    calls.update(dict.fromkeys(calls, 0))
    sites = _sites()
    route = _route(sites)
    view.set_basemap(parse_street_lines(street_layer_bytes(), "demo"))
    view.set_cameras(sites)
    view.set_sightings(route)
    view.fit_all()
    view.set_route(route)
    qtbot.waitUntil(lambda: view.cluster_count > 0 and not view.labels_pending, timeout=5_000)
    assert calls == {"_rebuild_clusters": 1, "_declutter": 1}
