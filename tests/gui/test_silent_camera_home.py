"""Issue 16: a camera with no read in the last 30 days shows on the contractor's home screen
as a "silent camera" signal with its last read, one click from a prefilled problem; no plate
is shown."""

from __future__ import annotations

from pathlib import Path

from gui_access import log_events, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from test_import_wizard import click

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.gui.views.contractor_home import ContractorHome
from alpr_desktop.gui.views.maintenance_view import ProblemDialog
from alpr_desktop.gui.views.workspace import MAINTENANCE
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

WAIT = 20_000
SHOTS = Path("/tmp/maint-shots")
DAY = 86_400


def test_a_silent_camera_is_signalled_on_the_home_screen(qtbot, workspace, store, clock,
                                                         qtmodeltester) -> None:
    now = clock.now_ms() // 1000
    dark = CameraRepo(store).add(Camera(None, "Carson & Main WB", "Carson"))
    ReadRepo(store).insert_many([NewRead("4DRK001", now - 45 * DAY, dark)])
    workspace.resize(1024, 700)
    sign_in(qtbot, workspace, "vendor")
    home = workspace.views[MAINTENANCE]
    assert isinstance(home, ContractorHome)
    panel = home.healthPanel
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 1, timeout=WAIT)
    qtmodeltester.check(panel.model, force_py=True)
    m = panel.model
    rows = [[m.data(m.index(r, c)) for c in range(m.columnCount())]
            for r in range(m.rowCount())]
    [row] = [r for r in rows if r[1] == "Carson & Main WB"]
    assert row[0] == "Camera silent all period" and row[3] == "now"
    assert "no read in the last 30 days" in row[4] and "45.0 days ago" in row[4]
    texts = " ".join(w.text() for w in home.findChildren(QLabel)) + repr(rows)
    assert "4DRK" not in texts and "7ABC123" not in texts
    SHOTS.mkdir(exist_ok=True)
    workspace.grab().save(str(SHOTS / "contractor_home_silent_camera.png"))
    panel.table.selectRow(rows.index(row))
    click(qtbot, panel.openButton)
    dialog = panel.dialog
    assert isinstance(dialog, ProblemDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.descriptionEdit.toPlainText().startswith("Camera silent all period")
    checked = [dialog.camerasList.item(i).text() for i in range(dialog.camerasList.count())
               if dialog.camerasList.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == ["Carson & Main WB"]
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: bool(log_events(store, "maintenance.problem")), timeout=WAIT)
    [e] = log_events(store, "maintenance.problem")
    assert e.detail["signal"] == "silent_camera" and e.detail["camera_ids"] == [dark]
