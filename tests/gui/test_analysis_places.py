"""Issue 19 through the window: the Analysis menu on the Investigation screen opens the
location search and common plates; their forms (places, windows, k, the reason when wider than
the purpose) run the gated analyses on a worker with progress and Cancel; the result window
lists plates per place or ranked, its reads open in the viewer, on the map and in the case
file. Models through qtmodeltester. ALPR_SHOTS=<dir> saves each result view at 1024x700."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import shiboken6
from gui_access import activate, declare, log_events, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.gui.analysis.analysis_form import AnalysisForm
from alpr_desktop.gui.analysis.menu import AnalysisAction, add_analysis_actions, menu_actions
from alpr_desktop.gui.analysis.result_view import AnalysisResultWindow
from alpr_desktop.gui.dialogs.case_file_dialog import CaseFileDialog
from alpr_desktop.gui.map.map_window import MapWindow
from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.services.location_analysis import LocationAnalysisService
from alpr_desktop.storage import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

HOUR, DAY = 3600, 86_400
DAY1 = 1_766_188_800  # 2025-12-20T00:00:00Z, inside the purpose's own 30 days
SUSPECT, COMMUTER = "6COM777", "5HRL100"
SCENES = (("Avalon & Carson NB", 33.8317, -118.2620), ("Figueroa & 223rd SB", 33.8240, -118.2820),
          ("Main & Victoria EB", 33.8700, -118.2750))
SUSPECT_TIMES = (DAY1 + 10 * HOUR + 15 * 60, DAY1 + DAY + 14 * HOUR + 30 * 60,
                 DAY1 + 2 * DAY + 21 * HOUR + 5 * 60)


@pytest.fixture
def scenes(store: Store) -> list[int]:
    with store.transaction():
        repo = CameraRepo(store)
        cams = [repo.add(Camera(None, n, "Carson", lat, lon)) for n, lat, lon in SCENES]
        new = [NewRead(SUSPECT, t, cams[i], make="Nissan", color="Black")
               for i, t in enumerate(SUSPECT_TIMES)]
        new.append(NewRead(SUSPECT, DAY1 + 11 * HOUR + 40 * 60, cams[0], make="Nissan"))
        new += [NewRead(COMMUTER, DAY1 + d * DAY + h * HOUR + i * 60, cams[i], make="Honda")
                for d in range(3) for h in range(8, 23) for i in range(3)]
        new += [NewRead(f"8CRD{n:03d}", DAY1 + n * 900, cams[n % 3]) for n in range(200)]
        ReadRepo(store).insert_many(new)
    return cams


def _shot(widget, name: str) -> None:
    out = os.environ.get("ALPR_SHOTS")
    if out:
        widget.resize(1024, 700)
        widget.grab().save(str(Path(out) / name))


def _ready(qtbot, workspace, controller):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    view = workspace.views[INVESTIGATION]
    return view, view.analysis_menu


def _open(qtbot, am, index: int) -> AnalysisForm:
    before = set(map(id, am.host.windows))
    am.actions[index].trigger()
    [form] = [w for w in am.host.windows if id(w) not in before]
    assert isinstance(form, AnalysisForm)
    qtbot.waitUntil(lambda: form.editor.cameraList.count() == 4, timeout=10_000)
    return form


def _set_place(qtbot, form: AnalysisForm, row: int, camera_row: int,
               windows: list[tuple[int, int]]) -> None:
    form.placeList.setCurrentRow(row)
    ed = form.editor
    for i in range(ed.cameraList.count()):
        item = ed.cameraList.item(i)
        item.setCheckState(Qt.CheckState.Checked if i == camera_row else Qt.CheckState.Unchecked)
    ed.windowList.setCurrentRow(0)
    qtbot.mouseClick(ed.removeWindowButton, Qt.MouseButton.LeftButton)
    assert ed.windowList.count() == 0
    for a, b in windows:
        ed.set_window(a, b)
        qtbot.mouseClick(ed.addWindowButton, Qt.MouseButton.LeftButton)


def _result(qtbot, form: AnalysisForm) -> AnalysisResultWindow:
    qtbot.mouseClick(form.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result_window is not None, timeout=15_000)
    assert form.result_window is not None
    return form.result_window


def test_the_analysis_menu_has_its_hook_and_keyboard_access(qtbot, workspace, controller,
                                                             store, scenes):
    view, am = _ready(qtbot, workspace, controller)
    assert am.button.text() == "&Analysis" and am.button.isVisible()
    assert [a.text() for a in am.actions] == ["&Location Search (Stakeout)…",
                                              "&Common Plates…", "Co-&travel…", "L&ocate…",
                                              "Cloned-&Plate Check…"]
    opened: list[object] = []
    extra = add_analysis_actions(am.host, am.menu, [("&Extra…", opened.append)])
    extra[0].trigger()
    assert opened == [am.host] and am.menu.actions()[-1] is extra[0]
    assert all(isinstance(a, AnalysisAction) for a in menu_actions())
    activate(qtbot, view)
    view.plateEdit.setFocus()
    qtbot.keyClick(view.plateEdit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, AnalysisForm) for w in am.host.windows),
                    timeout=5000)


def test_location_search_from_the_form_to_viewer_map_and_case_file(
        qtbot, qtmodeltester, workspace, controller, store, scenes):
    _view, am = _ready(qtbot, workspace, controller)
    form = _open(qtbot, am, 0)
    _set_place(qtbot, form, 0, 1, [(DAY1 + 10 * HOUR, DAY1 + 12 * HOUR),
                                   (DAY1 + 20 * HOUR, DAY1 + 22 * HOUR)])
    qtbot.mouseClick(form.addPlaceButton, Qt.MouseButton.LeftButton)
    form.editor.labelEdit.setText("")
    qtbot.keyClicks(form.editor.labelEdit, "Figueroa lot")
    assert form.placeList.item(1).text() == "Figueroa lot"
    # the second place is a radius around Figueroa & 223rd
    form.editor.radiusRadio.setChecked(True)
    form.editor.centreCombo.setCurrentIndex(1)
    form.editor.centreCombo.activated.emit(1)
    form.editor.radiusSpin.setValue(300)
    form.editor.windowList.setCurrentRow(0)
    qtbot.mouseClick(form.editor.removeWindowButton, Qt.MouseButton.LeftButton)
    form.editor.set_window(DAY1 + DAY + 14 * HOUR, DAY1 + DAY + 16 * HOUR)
    qtbot.mouseClick(form.editor.addWindowButton, Qt.MouseButton.LeftButton)
    _shot(form, "analysis_location_form.png")
    w = _result(qtbot, form)
    qtmodeltester.check(w.summaryModel)
    qtmodeltester.check(w.model)
    rows = {(s.label, s.plate): s for s in w.summaryModel.rows}
    s1 = rows[("Place 1", SUSPECT)]
    assert (s1.first_at, s1.last_at, s1.reads) == (SUSPECT_TIMES[0], DAY1 + 11 * HOUR + 2400, 2)
    assert rows[("Figueroa lot", SUSPECT)].first_at == SUSPECT_TIMES[1]
    [e] = log_events(store, "analysis.location")
    assert [p["label"] for p in e.query["places"]] == ["Place 1", "Figueroa lot"]
    assert e.query["places"][1]["radius_m"] == 300
    assert "Logged as entry" in w.statusLabel.text()
    # the reads behind the selected plate, in the shared table
    w.summaryTable.selectRow(list(w.summaryModel.rows).index(s1))
    assert {r.read.plate_norm for r in w.model.rows} == {SUSPECT} and w.model.rowCount() == 2
    _shot(w, "analysis_location_result.png")
    activate(qtbot, w.table)
    w.table.setFocus()
    w.table.selectRow(0)
    qtbot.keyClick(w.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace._viewer is not None
                    and shiboken6.isValid(workspace._viewer), timeout=10_000)
    qtbot.mouseClick(w.mapButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(x, MapWindow) for x in am.host.windows),
                    timeout=5000)
    qtbot.waitUntil(lambda: bool(log_events(store, "map.view")), timeout=10_000)
    assert set(log_events(store, "map.view")[-1].query["read_ids"]) == {
        r.read.id for r in w.model.rows}
    qtbot.mouseClick(w.caseButton, Qt.MouseButton.LeftButton)
    [case] = [x for x in am.host.windows if isinstance(x, CaseFileDialog)]
    assert case.read_ids == [r.read.id for r in w.model.rows]


def test_common_plates_ranks_the_planted_plate_first(qtbot, qtmodeltester, workspace,
                                                     controller, store, scenes):
    _view, am = _ready(qtbot, workspace, controller)
    form = _open(qtbot, am, 1)
    qtbot.mouseClick(form.addPlaceButton, Qt.MouseButton.LeftButton)
    assert form.placeList.count() == 3
    for i in range(3):
        _set_place(qtbot, form, i, i + 1, [(DAY1 + i * DAY, DAY1 + (i + 1) * DAY - 60)])
    form.kSpin.setValue(3)
    w = _result(qtbot, form)
    qtmodeltester.check(w.summaryModel)
    first = w.summaryModel.rows[0]
    assert first.plate == SUSPECT and first.sets == (0, 1, 2)
    assert w.summaryModel.index(0, 2).data().startswith("3 of 3: Scene 1, Scene 2, Scene 3")
    assert {c.plate for c in w.summaryModel.rows} == {SUSPECT, COMMUTER}
    assert {r.read.plate_norm for r in w.model.rows} == {SUSPECT}
    [e] = log_events(store, "analysis.common_plates")
    assert e.query["min_sets"] == 3 and len(e.query["sets"]) == 3
    _shot(w, "analysis_common_plates_result.png")


def test_wider_than_the_purpose_asks_for_the_reason_first(qtbot, workspace, controller, store,
                                                          scenes):
    _view, am = _ready(qtbot, workspace, controller)
    form = _open(qtbot, am, 0)
    old = DAY1 - 60 * DAY
    _set_place(qtbot, form, 0, 1, [(old, old + 2 * HOUR)])
    activate(qtbot, form)
    qtbot.mouseClick(form.runButton, Qt.MouseButton.LeftButton)
    assert "reaches outside this purpose's own dates" in form.problemLabel.text()
    assert form.reasonEdit.hasFocus()
    assert not log_events(store, "analysis.location")
    qtbot.keyClicks(form.reasonEdit, "The same car was seen in an October robbery series")
    w = _result(qtbot, form)
    assert "Wider than the purpose's own dates" in w.statusLabel.text()
    [e] = log_events(store, "analysis.location")
    assert e.query["reason"].startswith("The same car") and e.detail["wider_than_purpose"]


def test_a_bad_place_is_told_plainly_and_nothing_runs(qtbot, workspace, controller, store,
                                                      scenes):
    _view, am = _ready(qtbot, workspace, controller)
    form = _open(qtbot, am, 0)
    for i in range(form.editor.cameraList.count()):
        form.editor.cameraList.item(i).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(form.runButton, Qt.MouseButton.LeftButton)
    assert "has no cameras and no radius" in form.problemLabel.text()
    assert not log_events(store, "analysis.location") and form.result_window is None


def test_a_long_analysis_shows_progress_and_can_be_cancelled(
        qtbot, workspace, controller, store, scenes, monkeypatch):
    _view, am = _ready(qtbot, workspace, controller)
    form = _open(qtbot, am, 0)
    _set_place(qtbot, form, 0, 1, [(DAY1 + 10 * HOUR, DAY1 + 12 * HOUR)])
    started = threading.Event()
    real = LocationAnalysisService._hits

    def slow(self, place, flt, sites, budget, cancel):  # waits for Cancel
        started.set()
        for _ in range(200):
            if cancel is not None and cancel():
                break
            threading.Event().wait(0.05)
        return real(self, place, flt, sites, budget, cancel)

    monkeypatch.setattr(LocationAnalysisService, "_hits", slow)
    qtbot.mouseClick(form.runButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert form.progress.isVisible() and form.cancelButton.isEnabled()
    assert not form.runButton.isEnabled()
    qtbot.mouseClick(form.cancelButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.runButton.isEnabled(), timeout=15_000)
    assert "stopped" in form.statusLabel.text() and form.result_window is None
    assert not log_events(store, "analysis.location")
