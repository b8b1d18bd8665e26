"""Issue 13 through the window: the plate profile from a result, its map and route, the case
file export, the description search and "My searches", each driven with qtbot, each through
the gated service with its log entry; the models through qtmodeltester; and no code path of
these views opens a network connection."""

from __future__ import annotations

import hashlib
import os
import socket
import stat
from pathlib import Path

import cv2
import numpy as np
import pytest
import shiboken6
from gui_access import CASE, T_DEC, activate, declare, log_events, search, sign_in
from PySide6.QtCore import QPointF, Qt

from alpr_desktop.core.map_projection import project
from alpr_desktop.core.models import Camera, ImageBlob, NewRead
from alpr_desktop.gui.map.map_view import SCENE_ZOOM, scene_point
from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ImageRepo, ReadRepo

AVALON = (-118.2652, 33.8317)
FIGUEROA = (-118.2826, 33.8237)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every way Python opens a connection fails the test (and is recorded)."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1:] if len(args) > 1 else args)
        raise AssertionError(f"network connection attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _jpeg(n: int, w: int, h: int) -> bytes:
    img = np.full((h, w, 3), 40 + n * 20 % 200, np.uint8)
    ok, buf = cv2.imencode(".jpg", img)
    assert ok
    return buf.tobytes()


@pytest.fixture
def placed(store: Store) -> list[int]:
    """Two placed cameras, four more reads of 7ABC123 on them and one red pickup, with
    images."""
    with store.transaction():
        a = CameraRepo(store).add(Camera(None, "Avalon & Carson NB", "Avalon Blvd & Carson St",
                                         AVALON[1], AVALON[0]))
        b = CameraRepo(store).add(Camera(None, "Figueroa & 223rd SB", "Figueroa St & 223rd St",
                                         FIGUEROA[1], FIGUEROA[0]))
        ids = ReadRepo(store).insert_many([
            NewRead("7ABC123", T_DEC + 86_400 * d, cam, state="CA", make="Honda",
                    color="Silver") for d, cam in ((1, a), (2, b), (4, a), (6, b))
        ] + [NewRead("4TRK001", T_DEC + 7200, a, make="Ford", color="Red", body_type="Pickup")])
        blobs = []
        for rid in ids:
            for kind, (w, h) in (("crop", (120, 40)), ("overview", (320, 200))):
                data = _jpeg(rid, w, h)
                blobs.append(ImageBlob(rid, kind, "jpeg", data, hashlib.sha256(data).hexdigest()))
        ImageRepo(store).put_many(blobs)
    return ids


def _ready(qtbot, workspace, controller):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace, "7ABC123")
    view = workspace.views[INVESTIGATION]
    qtbot.waitUntil(lambda: view.model.rowCount() == 7, timeout=10_000)
    return view, view.investigator_views


def _open_profile(qtbot, view, iv):
    view.table.selectRow(0)
    window = iv.profile_of_selected()
    assert window is not None
    qtbot.waitUntil(lambda: window.profile is not None, timeout=10_000)
    return window


def test_profile_from_a_result_lists_every_sighting_and_opens_the_viewer(
    qtbot, qtmodeltester, workspace, controller, store, placed, no_network
):
    view, iv = _ready(qtbot, workspace, controller)
    window = _open_profile(qtbot, view, iv)
    qtmodeltester.check(window.model)
    assert window.model.rowCount() == 7
    times = [r.read.recorded_at for r in window.model.rows]
    assert times == sorted(times)
    assert "7ABC123: 7 reads" in window.summary.text() and "First seen" in window.summary.text()
    assert sum(map(sum, window.heat.cells)) == 7
    assert window.cameraList.count() == 3
    assert window.gapList.count() >= 1
    qtbot.waitUntil(lambda: not window.strip.item(3).icon().isNull(), timeout=10_000)
    assert window.strip.count() == 7
    window.show()
    first = window.strip.visualItemRect(window.strip.item(0))  # crop and both caption lines
    assert first.bottom() <= window.strip.viewport().rect().bottom(), (first, window.strip)
    [e] = log_events(store, "search.profile")
    assert e.query["pattern"] == "7ABC123" and e.purpose["case_number"] == CASE
    assert log_events(store, "image.thumbnails")  # the film strip's crops, logged
    window.table.selectRow(2)
    activate(qtbot, window.table)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace._viewer is not None
                    and shiboken6.isValid(workspace._viewer), timeout=10_000)
    qtbot.waitUntil(lambda: bool(log_events(store, "image.view")), timeout=10_000)
    assert log_events(store, "image.view")[-1].query["read_id"] == window.model.rows[2].read.id
    # look-alikes on request
    window.lookalikeCheck.setChecked(True)
    qtbot.mouseClick(window.refreshButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(log_events(store, "search.profile")) == 2, timeout=10_000)
    assert log_events(store, "search.profile")[-1].query["lookalikes"] is True
    assert not no_network


def test_map_and_route_of_a_profile_in_step_with_the_table(
    qtbot, qtmodeltester, workspace, controller, store, placed, no_network
):
    view, iv = _ready(qtbot, workspace, controller)
    window = _open_profile(qtbot, view, iv)
    qtbot.mouseClick(window.mapButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(iv.windows) and any(
        getattr(w, "data", None) is not None for w in iv.windows
        if w.objectName() == "mapWindow"), timeout=10_000)
    mw = next(w for w in iv.windows if w.objectName() == "mapWindow")
    qtmodeltester.check(mw.model)
    # the three reads on the unplaced camera have no place; the four others are on the map
    assert mw.model.rowCount() == 4 and mw.data.sightings.unplaced == 3
    assert "3 reads without a place" in mw.statusLabel.text()
    [e] = log_events(store, "map.view")
    assert e.result_count == 4 and len(e.query["read_ids"]) == 7
    assert len(mw.map.route) == 4 and mw.backButton.isEnabled()
    # route playback forward and back selects the row in the table
    qtbot.mouseClick(mw.forwardButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mw.forwardButton, Qt.MouseButton.LeftButton)
    assert mw.selected().read_id == mw.map.route[1].read_id
    qtbot.mouseClick(mw.backButton, Qt.MouseButton.LeftButton)
    assert mw.selected().read_id == mw.map.route[0].read_id
    assert mw.map.route_marker_pos() == scene_point(*AVALON)
    # a table row highlights its sighting on the map
    mw.table.selectRow(1)
    s = mw.model.row_at(1)
    assert mw.map.selected_read == s.read_id
    assert mw.map.selected_pos() == scene_point(s.longitude, s.latitude)
    # a click on the map selects the row
    mw.map.set_scale(1.0)
    mw.map.center_on(*FIGUEROA)
    qtbot.wait(10)
    centre = mw.map.viewport().rect().center()
    qtbot.mouseClick(mw.map.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert mw.selected().camera_name == "Figueroa & 223rd SB"
    assert not no_network


def test_known_coordinates_land_on_known_pixels(qtbot, no_network):
    from alpr_desktop.gui.map.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.set_scale(1.0)
    view.center_on(*AVALON)
    centre = view.viewport().rect().center()
    got = view.mapFromScene(scene_point(*AVALON))
    assert abs(got.x() - centre.x()) <= 1 and abs(got.y() - centre.y()) <= 1
    # 0.001 degree east at zoom 17, scale 1: 2**17 * 256 / 360 / 1000 = 93.2 px to the right
    east = view.mapFromScene(scene_point(AVALON[0] + 0.001, AVALON[1]))
    assert abs((east.x() - got.x()) - 2 ** SCENE_ZOOM * 256 / 360 / 1000) <= 1
    assert east.y() == got.y()
    # at scale 0.5 the same step is half as far; north is up
    view.set_scale(0.5)
    view.center_on(*AVALON)
    a = view.mapFromScene(scene_point(*AVALON))
    b = view.mapFromScene(scene_point(AVALON[0] + 0.001, AVALON[1] + 0.001))
    assert abs((b.x() - a.x()) - 2 ** SCENE_ZOOM * 256 / 360 / 2000) <= 1 and b.y() < a.y()
    lon, lat = view.lonlat_at(QPointF(a))
    assert abs(lon - AVALON[0]) < 1e-4 and abs(lat - AVALON[1]) < 1e-4
    assert project(AVALON[0], AVALON[1], SCENE_ZOOM) == (scene_point(*AVALON).x(),
                                                          scene_point(*AVALON).y())


def test_case_file_from_a_profile_is_confirmed_logged_and_owner_only(
    qtbot, workspace, controller, store, placed, tmp_path: Path, no_network
):
    view, iv = _ready(qtbot, workspace, controller)
    window = _open_profile(qtbot, view, iv)
    qtbot.mouseClick(window.caseButton, Qt.MouseButton.LeftButton)
    dialog = next(w for w in iv.windows if w.objectName() == "caseFileDialog")
    assert CASE in dialog.pathEdit.text() and "7ABC123" not in dialog.pathEdit.text()
    target = tmp_path / "out" / "case.pdf"
    dialog.pathEdit.setText(str(target))
    assert not dialog.exportButton.isEnabled()  # not before the analyst confirms
    dialog.confirmCheck.setChecked(True)
    qtbot.mouseClick(dialog.exportButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Case file written" in view.statusLabel.text(), timeout=30_000)
    csv_path = target.with_name("case-reads.csv")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(csv_path).st_mode) == 0o600
    [e] = log_events(store, "export.case_file")
    assert len(e.query["read_ids"]) == 7 and e.query["source"] == "profile"
    assert e.detail["pdf_sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert not no_network


def test_description_search_and_my_searches_rerun(
    qtbot, qtmodeltester, workspace, controller, store, placed, no_network
):
    from PySide6.QtCore import QDateTime

    view, iv = _ready(qtbot, workspace, controller)
    d = iv.open_description()
    qtbot.waitUntil(lambda: d.cameraList.count() == 3, timeout=10_000)
    d.edits["colors"].setText("red")
    d.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(T_DEC - 3600))
    d.toEdit.setDateTime(QDateTime.fromSecsSinceEpoch(T_DEC + 20 * 3600))
    qtbot.mouseClick(d.searchButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.found is not None, timeout=10_000)
    qtmodeltester.check(d.model)
    assert [r.read.plate_norm for r in d.model.rows] == ["4TRK001"]
    [e] = log_events(store, "search.description")
    assert e.query["colors"] == ["red"] and e.detail["broad"] is True
    # too wide a window is refused with a sentence, and nothing is searched
    d.fromEdit.setDateTime(QDateTime.fromSecsSinceEpoch(T_DEC - 30 * 86_400))
    qtbot.mouseClick(d.searchButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "at most 7 days" in d.problemLabel.text(), timeout=10_000)
    assert len(log_events(store, "search.description")) == 1
    d.close()

    my = iv.open_my_searches()
    qtbot.waitUntil(lambda: my.model.rowCount() == 2, timeout=10_000)
    qtmodeltester.check(my.model)
    assert my.model.rows[0].event == "search.description"
    assert log_events(store, "history.own")
    my.table.selectRow(1)  # the plate search of 7ABC123
    view.plateEdit.setText("")
    qtbot.mouseClick(my.rerunButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(log_events(store, "search")) == 2, timeout=10_000)
    assert view.plateEdit.text() == "7ABC123"
    assert not no_network


def test_rerunning_a_batch_from_my_searches_is_a_new_logged_query_with_its_own_filters(
    qtbot, workspace, controller, store, placed, no_network
):
    """A batch search run with a filter (make Honda), then the screen's filter changed: "Run
    Again" in My searches runs the same plates with the filter it was logged with, through
    the gate, as a new "search.batch" entry, and shows its results."""
    view, iv = _ready(qtbot, workspace, controller)
    view.filters.setChecked(True)
    view.filters.makeEdit.setText("Honda")
    batch = view.open_batch()
    assert batch is not None
    batch.listEdit.setPlainText("7ABC123\n4TRK001")
    qtbot.mouseClick(batch.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: batch.batch_result is not None, timeout=10_000)
    [first] = log_events(store, "search.batch")
    assert first.query["plates"] == ["7ABC123", "4TRK001"]
    assert first.query["filters"]["makes"] == ["Honda"]
    batch.close()
    view.filters.makeEdit.setText("Ford")  # what the screen shows now: not the batch's

    my = iv.open_my_searches()
    qtbot.waitUntil(lambda: my.model.rowCount() == 2, timeout=10_000)
    row = next(i for i, p in enumerate(my.model.rows) if p.event == "search.batch")
    assert "2 plates: 7ABC123, 4TRK001" in my.model.rows[row].words
    my.table.selectRow(row)
    qtbot.mouseClick(my.rerunButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(log_events(store, "search.batch")) == 2, timeout=10_000)
    again = log_events(store, "search.batch")[-1]
    assert again.seq > first.seq and again.outcome == "ok"
    assert again.query["plates"] == first.query["plates"]
    assert again.query["filters"] == first.query["filters"]
    assert again.purpose["case_number"] == CASE and again.username == "officer"
    assert again.result_count == first.result_count
    rerun_dialog = view.batch_dialog
    assert rerun_dialog is not None and rerun_dialog is not batch
    qtbot.waitUntil(lambda: rerun_dialog.batch_result is not None, timeout=10_000)
    assert rerun_dialog.batch_result.log_seq == again.seq
    assert not no_network


def test_admin_sets_the_basemap_and_the_map_draws_its_streets(
    qtbot, workspace, controller, store, tmp_path: Path, no_network
):
    from alpr_desktop.demo.streets import street_layer_bytes
    from alpr_desktop.gui.map.map_view import MapView
    from alpr_desktop.gui.views.workspace import SECURITY

    sign_in(qtbot, workspace, "root")
    box = workspace.views[SECURITY].map_settings
    qtbot.waitUntil(lambda: box.daysSpin.value() == 7, timeout=10_000)
    bad = tmp_path / "x.geojson"
    bad.write_text("{")
    box.pathEdit.setText(str(bad))
    qtbot.mouseClick(box.saveBasemapButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not saved" in box.message.text(), timeout=10_000)
    good = tmp_path / "streets.geojson"
    good.write_bytes(street_layer_bytes())
    box.pathEdit.setText(str(good))
    qtbot.mouseClick(box.saveBasemapButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "street lines: streets.geojson" in box.message.text(),
                    timeout=10_000)
    box.daysSpin.setValue(3)
    qtbot.mouseClick(box.saveDaysButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "3 days" in box.message.text(), timeout=10_000)
    keys = [e.detail["key"] for e in log_events(store, "settings.changed")]
    assert keys == ["views.basemap_path", "views.description_max_days"]

    from alpr_desktop.core.basemap import parse_street_lines

    view = MapView()
    qtbot.addWidget(view)
    view.set_basemap(parse_street_lines(street_layer_bytes(), "demo"))
    labels = {i.text() for i in view.map_scene.items() if hasattr(i, "text")}
    assert {"Avalon Blvd", "Carson St"} <= labels
    assert not no_network


def test_vectorized_projection_and_clusters_match_the_core_ones():
    import numpy as np

    from alpr_desktop.core.map_projection import cluster
    from alpr_desktop.gui.map.map_view import grid_clusters, project_many

    rng = np.random.default_rng(3)
    lons = -118.3 + rng.random(500) * 0.1
    lats = 33.8 + rng.random(500) * 0.1
    xs, ys = project_many(lons, lats)
    for i in (0, 17, 499):
        assert abs(xs[i] - project(lons[i], lats[i], SCENE_ZOOM)[0]) < 1e-6
        assert abs(ys[i] - project(lons[i], lats[i], SCENE_ZOOM)[1]) < 1e-6
    ids = np.arange(500)
    fast = sorted(sorted(m) for _x, _y, m in grid_clusters(xs, ys, ids, 400.0))
    slow = sorted(sorted(m) for _x, _y, m in cluster(
        [(int(i), float(x), float(y)) for i, x, y in zip(ids, xs, ys, strict=True)], 400.0))
    assert fast == slow and len(fast) > 1


def test_every_control_of_the_new_windows_has_an_accessible_name(qtbot, controller):
    from alpr_desktop.gui.accessibility import stray_mnemonics, unnamed_controls
    from alpr_desktop.gui.dialogs.case_file_dialog import CaseFileDialog
    from alpr_desktop.gui.map.map_window import MapWindow
    from alpr_desktop.gui.views.description_search import DescriptionSearchDialog
    from alpr_desktop.gui.views.my_searches import MySearchesDialog
    from alpr_desktop.gui.views.plate_profile import PlateProfileWindow

    windows = [PlateProfileWindow(controller, "7ABC123"),
               MapWindow(controller, [1], title="Map"),
               DescriptionSearchDialog(controller),
               CaseFileDialog(controller, [1], source="picked", query_words=""),
               MySearchesDialog(controller)]
    for w in windows:
        qtbot.addWidget(w)
        assert unnamed_controls(w) == [], type(w).__name__
        assert stray_mnemonics(w) == [], type(w).__name__


def test_the_windows_a_search_opens_log_on_its_kept_connection(
    qtbot, workspace, controller, store, placed, no_network
):
    """Issue 20: the plate profile (and its film strip), the image viewer, the map and the
    batch search each log what they show. Committed on any other connection, each entry made
    SQLite drop the search screen's page cache before the next search; on the kept
    connection its data_version, which moves when another connection commits, stays put."""
    view, iv = _ready(qtbot, workspace, controller)

    def data_version() -> int:  # asked on the kept connection, on a worker
        got: list[int] = []
        controller.run_dedicated(
            view._pagers[0], lambda s, _ctx: int(s._store.scalar("PRAGMA data_version")),
            got.append, lambda exc: got.append(-1))
        qtbot.waitUntil(lambda: bool(got), timeout=10_000)
        return got[0]

    def logged(event: str, n: int) -> None:
        qtbot.waitUntil(lambda: len(log_events(store, event)) >= n, timeout=10_000)

    before = data_version()
    pager = view._pagers[0]
    thumbnails = len(log_events(store, "image.thumbnails"))
    window = _open_profile(qtbot, view, iv)
    logged("search.profile", 1)
    logged("image.thumbnails", thumbnails + 1)  # the film strip's crops
    assert data_version() == before, "the profile"
    window.table.selectRow(2)
    activate(qtbot, window.table)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    logged("image.view", 1)
    assert data_version() == before, "the image viewer"
    qtbot.mouseClick(window.mapButton, Qt.MouseButton.LeftButton)
    logged("map.view", 1)
    assert data_version() == before, "the map"
    dialog = view.open_batch()
    assert dialog is not None
    dialog.listEdit.setPlainText("7ABC123\n4TRK001\n")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.batch_result is not None, timeout=10_000)
    logged("search.batch", 1)
    assert data_version() == before, "the batch search"
    assert view._pagers == [pager]
    # control: the same work through the controller's own connections moves it
    controller.run(lambda s, ctx: s.views.plate_profile(ctx, window.request()),
                   lambda _r: None, lambda _e: None)
    logged("search.profile", 2)
    assert data_version() != before
