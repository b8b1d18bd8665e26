"""The analyst's screens fit 1024×700 and 200 % scaling, name every control for assistive
technology, and elide instead of clipping (issue 12, "Window sizes and keyboard")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_access import PASSWORDS, T_DEC, declare, try_credentials
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from alpr_desktop.core.models import NewRead
from alpr_desktop.gui.accessibility import stray_mnemonics, unnamed_controls
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage.reads import ReadRepo

ROOT = Path(__file__).resolve().parents[2]
MAX_W, MAX_H = 1024, 700


@pytest.fixture
def analyst_window(qtbot, store, clock, tmp_path):
    """The real main window at 1024×700, the officer signed in with a purpose and 30 reads
    of one plate on screen, filters folded."""
    ReadRepo(store).insert_many([NewRead("6TRK441", T_DEC - 600 * i, 1, state="CA",
                                         make="Ford", model="F-150", color="White",
                                         confidence=0.9) for i in range(30)])
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(MAX_W, MAX_H)
    window.show()
    workspace = window.start_session(OpenStore.adopt(store), clock)
    try_credentials(qtbot, workspace.dialog, "officer", PASSWORDS["officer"])
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10_000)
    declare(qtbot, window.controller)
    view = workspace.views[INVESTIGATION]
    view.plateEdit.setText("6TRK441")
    view.search()
    qtbot.waitUntil(lambda: view.model.rowCount() == 30, timeout=10_000)
    yield window, workspace, view
    window.end_session()


def _export(parent: QWidget) -> QWidget:
    from alpr_desktop.gui.views.image_viewer import ExportDialog

    d = ExportDialog("save", "Plate crop of read #1 (6TRK441, 2025-12-17 11:33:20 PST).",
                     "case 123-45678-2026-001, Vehicle theft", True, "/tmp/read-1-crop.jpg",
                     parent)
    d.open()
    return d


def _disclosure(parent: QWidget) -> QWidget:
    from alpr_desktop.gui.views.image_viewer import DisclosureDialog

    d = DisclosureDialog("save", "Plate crop of read #1.", True, "/tmp/read-1-crop.jpg",
                         parent)
    d.open()
    return d


def visible_rows(view) -> int:
    table = view.table
    return sum(1 for r in range(view.model.rowCount())
               if table.rowViewportPosition(r) >= 0
               and table.rowViewportPosition(r) + table.rowHeight(r)
               <= table.viewport().height())


def test_ten_result_rows_are_visible_at_1024x700_with_filters_folded(qtbot, analyst_window):
    window, _workspace, view = analyst_window
    assert (window.width(), window.height()) == (MAX_W, MAX_H)
    assert not view.filters.body.isVisible()
    qtbot.waitUntil(lambda: visible_rows(view) >= 10)  # once laid out; fails if never
    assert window.minimumSizeHint().width() <= MAX_W


def test_analyst_screens_fit_1024_wide(qtbot, analyst_window):
    window, workspace, view = analyst_window
    view.filters.setChecked(True)  # unfolded filters must fit too
    assert view.minimumSizeHint().width() <= MAX_W
    assert window.minimumSizeHint().width() <= MAX_W
    view.table.selectRow(0)
    viewer = workspace.open_viewer(view, view.model.rows[0].read.id)
    qtbot.waitUntil(lambda: viewer.panels[0].opened is not None or bool(viewer.last_error),
                    timeout=10_000)
    assert viewer.minimumSizeHint().width() <= MAX_W
    assert viewer.minimumSizeHint().height() <= MAX_H
    viewer.compareButton.click()
    assert viewer.minimumSizeHint().width() <= MAX_W
    dialogs = [view.open_batch(), _export(viewer), _disclosure(viewer)]
    for d in dialogs:
        assert d is not None
        assert d.minimumSizeHint().width() <= MAX_W, d.objectName()
        assert d.minimumSizeHint().height() <= MAX_H, d.objectName()
        d.close()
    viewer.close()


def test_every_control_has_an_accessible_name(qtbot, analyst_window):
    _window, workspace, view = analyst_window
    view.filters.setChecked(True)
    roots: list[QWidget] = [view, workspace.lockScreen]
    viewer = workspace.open_viewer(view, view.model.rows[0].read.id)
    roots.append(viewer)
    roots += [view.open_batch(), _export(viewer), _disclosure(viewer)]
    view.open_purpose_dialog()
    qtbot.waitUntil(lambda: view.purpose_dialog is not None
                    and view.purpose_dialog.isVisible(), timeout=10_000)
    roots.append(view.purpose_dialog)
    for root in roots:
        missing = [f"{type(w).__name__} {w.objectName()!r}" for w in unnamed_controls(root)]
        assert missing == [], (type(root).__name__, missing)
        assert stray_mnemonics(root) == [], type(root).__name__
    for d in roots[2:]:
        d.close()


def test_long_text_is_elided_with_a_tooltip(qtbot, analyst_window):
    window, _workspace, view = analyst_window
    label = view.purposeLabel
    assert label.toolTip()  # the narrative, in full
    assert label.sizeHint().width() <= MAX_W
    camera_col = 5
    index = view.model.index(0, camera_col)
    assert view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert view.table.textElideMode() == Qt.TextElideMode.ElideRight
    assert window.minimumSizeHint().width() <= MAX_W


PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from alpr_desktop.gui.views.search_view import SearchView, BatchSearchDialog
from alpr_desktop.gui.views.image_viewer import ImageViewer, ExportDialog, DisclosureDialog
from alpr_desktop.core.search import Filters

from PySide6.QtCore import QObject, Signal

class Ctl(QObject):  # the screens' Controller protocol, doing nothing
    purpose_changed = Signal(object)
    locked = Signal()
    signed_out = Signal()
    purpose = None
    session = None
    def run(self, *a, **k):
        return None

class Src:
    def run(self, *a, **k):
        return None
    def copy_image(self, *a):
        pass
    def clear_copy(self):
        pass

view = SearchView(Ctl())
view.resize(1024, 700 - 90)  # the main window's menu, tabs and status bar take about 90
view.show()
app.processEvents()
folded_rows = view.table.viewport().height() // view.table.verticalHeader().defaultSectionSize()
view.filters.setChecked(True)
viewer = ImageViewer(Src(), 1, [1, 2, 3])
out = {
    "scale": app.primaryScreen().devicePixelRatio(),
    "search": view.minimumSizeHint().width(),
    "viewer": viewer.minimumSizeHint().width(),
    "viewer_h": viewer.minimumSizeHint().height(),
    "batch": BatchSearchDialog(None, Ctl(), Filters).minimumSizeHint().width(),
    "export": ExportDialog("save", "x", "case 1", False, "/tmp/x.jpg").minimumSizeHint().width(),
    "disclose": DisclosureDialog("save", "x", False, "/tmp/x.jpg").minimumSizeHint().width(),
    "folded_rows": folded_rows,
}
print(json.dumps(out))
"""


def test_screens_fit_at_200_percent_scaling(tmp_path):
    """QT_SCALE_FACTOR=2 must be set before the application starts: a child process."""
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    sizes = json.loads(run.stdout.strip().splitlines()[-1])
    assert sizes.pop("scale") == 2
    assert sizes.pop("folded_rows") >= 10
    assert sizes.pop("viewer_h") <= MAX_H
    assert all(w <= MAX_W for w in sizes.values()), sizes
