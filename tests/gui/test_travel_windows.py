"""Issue 19 (travel) through the windows: co-travel, locate and the cloned-plate check opened
from the Investigation screen's Analysis menu, run through the gated service with their log
entries, their results in the shared read table, the map (a route for a co-travel pair), the
viewer and the case file; every model through qtmodeltester.

With TRAVEL_SCREENSHOTS=<folder> each result view is also saved there at 1024x700."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import shiboken6
from gui_access import activate, declare, log_events, search, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.gui.analysis.cloned import ClonedWindow
from alpr_desktop.gui.analysis.cotravel import CoTravelWindow
from alpr_desktop.gui.analysis.cotravel_links import set_seconds
from alpr_desktop.gui.analysis.locate import LocateWindow
from alpr_desktop.gui.dialogs.case_file_dialog import CaseFileDialog
from alpr_desktop.gui.map.map_window import MapWindow
from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.storage import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "travel"))
from travel_world import (
    CLONE_T,
    CLONED,
    COMPANION,
    DAY,
    LOCATE,
    T0,
    TARGET,
    WINDOW,
    Planted,
    plant,
)


@pytest.fixture
def planted(store: Store) -> Planted:
    return plant(store)


def _shot(widget, name: str) -> None:
    folder = os.environ.get("TRAVEL_SCREENSHOTS")
    if folder:
        widget.resize(1024, 700)
        widget.grab().save(str(Path(folder) / name))


def _ready(qtbot, workspace, controller, plate: str):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace, plate)
    view = workspace.views[INVESTIGATION]
    view.table.selectRow(0)
    return view, view.investigator_views


def _trigger(iv, label: str) -> None:
    """The analysis as the analyst opens it: from the screen's Analysis menu."""
    menu = iv.view.analysis_menu
    next(a for a in menu.actions if a.text() == label).trigger()


def _opened(iv, kind: type):
    return next(w for w in reversed(iv.windows) if isinstance(w, kind))


def test_cotravel_finds_the_convoy_and_opens_map_viewer_and_case_file(
    qtbot, qtmodeltester, workspace, controller, store, planted
):
    _view, iv = _ready(qtbot, workspace, controller, TARGET)
    _trigger(iv, "Co-&travel…")
    w = _opened(iv, CoTravelWindow)
    assert w.plateEdit.text() == TARGET  # the selected read's plate
    set_seconds(w.fromEdit, WINDOW[0])
    set_seconds(w.toEdit, WINDOW[1])
    qtbot.mouseClick(w.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.found is not None, timeout=20_000)
    qtmodeltester.check(w.model)
    qtmodeltester.check(w.evidence)
    assert [t.plate for t in w.model.rows] == [COMPANION]
    assert "neighbours" in w.warning.text() and w.warning.isVisible()
    assert "left out" in w.statusLabel.text()
    assert {r.read.plate_norm for r in w.evidence.rows} == {TARGET, COMPANION}
    assert w.evidence.rowCount() == 36  # 18 meetings, both reads each
    [e] = log_events(store, "analysis.cotravel")
    assert e.query["tolerance_s"] == 120 and e.query["min_occasions"] == 2
    assert e.query["since"] == WINDOW[0] and e.query["pattern"] == TARGET
    _shot(w, "analysis_cotravel.png")
    # the map: both plates' evidence, the companion's route
    qtbot.mouseClick(w.mapButton, Qt.MouseButton.LeftButton)
    m = _opened(iv, MapWindow)
    qtbot.waitUntil(lambda: m.data is not None, timeout=20_000)
    assert m.route_plate == COMPANION and len(m.map.route) == 18
    assert log_events(store, "map.view")
    m.resize(1024, 700)
    qtbot.wait(50)
    assert m.width() <= 1024 and m.minimumSizeHint().width() <= 1024  # a long route fits
    m.map.fit_all()
    first = m.model.rows[0]
    m.map.center_on(first.longitude, first.latitude)  # the fit spans the far test camera
    _shot(m, "analysis_cotravel_map.png")
    m.close()
    # the viewer from the evidence table
    w.table.selectRow(1)
    activate(qtbot, w.table)
    w.table.setFocus()
    qtbot.keyClick(w.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace._viewer is not None
                    and shiboken6.isValid(workspace._viewer), timeout=10_000)
    workspace._viewer.close()
    # the case file gets the pair's evidence and the analysis in words
    qtbot.mouseClick(w.caseButton, Qt.MouseButton.LeftButton)
    d = _opened(iv, CaseFileDialog)
    assert len(d.read_ids) == 36 and "Co-travel of 7TGT001 and 8CNV002" in d.query_words


def test_locate_puts_home_first_with_its_hours(
    qtbot, qtmodeltester, workspace, controller, store, planted
):
    _view, iv = _ready(qtbot, workspace, controller, LOCATE)
    _trigger(iv, "L&ocate…")
    w = _opened(iv, LocateWindow)
    set_seconds(w.fromEdit, T0 - 7 * DAY)
    set_seconds(w.toEdit, WINDOW[1])
    w.plateEdit.setFocus()
    qtbot.keyClick(w.plateEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.found is not None, timeout=20_000)
    qtmodeltester.check(w.placesModel)
    qtmodeltester.check(w.model)
    assert w.placesModel.rows[0].camera_name == "H Home street"
    assert w.cellList.item(0).text().startswith(
        tuple(f"{d} 18:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))
    assert "H Home street" in w.cellList.item(0).text()
    assert "Likeliest: H Home street" in w.summary.text()
    assert sum(map(sum, w.heat.cells)) == 95
    w.places.selectRow(0)
    assert sum(map(sum, w.heat.cells)) == 35 and w.model.rowCount() == 35
    assert log_events(store, "analysis.locate")[-1].query["pattern"] == LOCATE
    w.tabs.setCurrentIndex(0)
    _shot(w, "analysis_locate.png")
    qtbot.mouseClick(w.caseButton, Qt.MouseButton.LeftButton)
    d = _opened(iv, CaseFileDialog)
    assert len(d.read_ids) == 35 and "at H Home street" in d.query_words


def test_cloned_check_over_the_results_and_over_a_day(
    qtbot, qtmodeltester, workspace, controller, store, planted
):
    _view, iv = _ready(qtbot, workspace, controller, CLONED)
    _trigger(iv, "Cloned-&Plate Check…")
    w = _opened(iv, ClonedWindow)
    assert w.resultsRadio.isChecked() and sorted(w.read_ids) == planted.cloned_ids
    qtbot.mouseClick(w.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.found is not None, timeout=20_000)
    qtmodeltester.check(w.pairsModel)
    qtmodeltester.check(w.model)
    assert [p.plate for p in w.pairsModel.rows] == [CLONED]
    assert [r.read.id for r in w.model.rows] == planted.cloned_ids
    assert log_events(store, "analysis.cloned")[-1].query["scope"] == "results"
    # the whole store over the day, a lower speed limit
    w.found = None
    w.storeRadio.setChecked(True)
    set_seconds(w.fromEdit, CLONE_T - DAY // 2)
    set_seconds(w.toEdit, CLONE_T + DAY // 2)
    w.speedSpin.setValue(150)
    qtbot.mouseClick(w.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.found is not None, timeout=20_000)
    plates = {p.plate for p in w.pairsModel.rows}
    assert CLONED in plates and "6MOB007" in plates and "6DRV004" not in plates
    e = log_events(store, "analysis.cloned")[-1]
    assert e.query["scope"] == "store" and e.query["max_speed_kmh"] == 150.0
    _shot(w, "analysis_cloned.png")
    qtbot.mouseClick(w.mapButton, Qt.MouseButton.LeftButton)
    m = _opened(iv, MapWindow)
    qtbot.waitUntil(lambda: m.data is not None, timeout=20_000)
    assert len(m.model.rows) == 2
