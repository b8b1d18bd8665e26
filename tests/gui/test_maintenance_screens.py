"""Issue 16: the contractor's home shows the health signals with one click to a prefilled
problem; the Maintenance Log records 30-day checks and problems (contractor) and shows OVERDUE
(contractor, custodian); nothing on these screens shows a plate."""

from __future__ import annotations

from pathlib import Path

from gui_access import log_events, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from test_import_wizard import click

from alpr_desktop.core.models import NewRead
from alpr_desktop.gui.views.contractor_home import ContractorHome
from alpr_desktop.gui.views.maintenance_view import CheckDialog, MaintenanceLogView, ProblemDialog
from alpr_desktop.gui.views.workspace import MAINTENANCE, MAINTENANCE_LOG
from alpr_desktop.storage.reads import ReadRepo

WAIT = 20_000
SHOTS = Path("/tmp/maint-shots")


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_signal_opens_a_prefilled_problem(qtbot, workspace, store, clock, qtmodeltester):
    now = clock.now_ms() // 1000
    cam = store.health.camera_names()
    [cam_id] = cam
    ReadRepo(store).insert_many([NewRead(f"5FUT{i:03d}", now + 7200 + i, cam_id)
                                 for i in range(5)])
    workspace.resize(1024, 700)
    sign_in(qtbot, workspace, "vendor")
    home = workspace.views[MAINTENANCE]
    assert isinstance(home, ContractorHome)
    panel = home.healthPanel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT)
    qtmodeltester.check(panel.model, force_py=True)
    m = panel.model
    row = [m.data(m.index(0, c)) for c in range(m.columnCount())]
    assert row[0] == "Read times in the future" and row[1] == "Avalon & 223rd NB"
    assert "OVERDUE" in panel.statusLabel.text()  # never checked
    texts = " ".join(w.text() for w in home.findChildren(QLabel)) + repr(row)
    assert "5FUT" not in texts and "7ABC123" not in texts
    _shot(workspace, "contractor_home")
    click(qtbot, panel.openButton)
    dialog = panel.dialog
    assert isinstance(dialog, ProblemDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.descriptionEdit.toPlainText().startswith("Read times in the future")
    item = dialog.camerasList.item(0)
    assert item.checkState() == Qt.CheckState.Checked
    dialog.actionEdit.setPlainText("Camera clock reset to NTP.")
    _shot(dialog, "problem_dialog")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: bool(log_events(store, "maintenance.problem")), timeout=WAIT)
    [e] = log_events(store, "maintenance.problem")
    assert e.detail["signal"] == "clock_ahead" and e.detail["camera_ids"] == [cam_id]


def test_contractor_records_a_check_and_overdue_goes(qtbot, workspace, store, qtmodeltester):
    workspace.resize(1024, 700)
    sign_in(qtbot, workspace, "vendor")
    view = workspace.views[MAINTENANCE_LOG]
    assert isinstance(view, MaintenanceLogView)
    workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: "OVERDUE" in view.statusLabel.text(), timeout=WAIT)
    dialog = view.record_check()
    assert isinstance(dialog, CheckDialog)
    qtbot.waitUntil(dialog.isVisible)
    click(qtbot, dialog.ok_button)  # nothing chosen: refused, nothing written
    qtbot.waitUntil(dialog.errorLabel.isVisible, timeout=WAIT)
    assert "Give a result for every item" in dialog.errorLabel.text()
    for combo, _note in dialog.results.values():
        combo.setCurrentIndex(0)  # OK
    dialog.notesEdit.setPlainText("Monthly visit.")
    _shot(dialog, "check_dialog")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: view.checksModel.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: "OVERDUE" not in view.statusLabel.text(), timeout=WAIT)
    qtmodeltester.check(view.checksModel, force_py=True)
    assert len(log_events(store, "maintenance.check")) == 1
    _shot(workspace, "maintenance_log")


def test_custodian_reads_the_log_without_record_buttons(qtbot, workspace, qtmodeltester):
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[MAINTENANCE_LOG]
    assert isinstance(view, MaintenanceLogView)
    qtbot.waitUntil(lambda: "OVERDUE" in view.statusLabel.text(), timeout=WAIT)
    assert not view.checkButton.isVisible() and not view.problemButton.isVisible()
    assert view.refreshButton.text() == "Re&fresh"
    qtmodeltester.check(view.problemsModel, force_py=True)


def test_status_bar_marker_for_contractor_and_custodian(qtbot, workspace, controller):
    from alpr_desktop.gui.maintenance_marker import MaintenanceMarker

    marker = MaintenanceMarker(lambda: controller)
    qtbot.addWidget(marker)
    workspace.status_changed.connect(marker.update_shown)
    for who, shown in (("keeper", True), ("officer", False), ("vendor", True)):
        sign_in(qtbot, workspace, who)
        marker.update_shown()
        qtbot.waitUntil(lambda s=shown: marker.isHidden() != s, timeout=WAIT)


def test_correction_dialog_records_and_reverts(qtbot, workspace, controller, store):
    from gui_access import declare

    from alpr_desktop.core.patterns import MatchKind
    from alpr_desktop.core.search import SearchRow
    from alpr_desktop.gui.dialogs.correction_dialog import CorrectionDialog
    from alpr_desktop.gui.models.read_results_model import MATCH, PLATE, ReadResultsModel

    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    [read] = [r for r in store.reads.by_plate("7ABC123")][:1]
    store.images.put_many([_crop(read.id)])
    dialog = CorrectionDialog(workspace, controller, SearchRow(read, MatchKind.EXACT, "7ABC123"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.historyList.count() == 1, timeout=WAIT)
    assert not dialog.revertButton.isEnabled()
    dialog.edits["plate"].setText("7ABC128")
    dialog.reasonEdit.setPlainText("The crop shows an 8 at the end, not a 3.")
    dialog.resize(1024, 700)
    _shot(dialog, "correction_dialog")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: bool(log_events(store, "read.corrected")), timeout=WAIT)
    [e] = log_events(store, "read.corrected")
    assert e.detail["corrected"] == {"plate": "7ABC128"} and e.username == "officer"
    # the results show the correction beside the plate as read
    model = ReadResultsModel()
    row = SearchRow(read, MatchKind.CORRECTED, "7ABC128", corrected="plate 7ABC128")
    from alpr_desktop.core.patterns import Mode, parse
    from alpr_desktop.core.search import Page

    model.start(Page((row,), None, parse("7ABC128", Mode.EXACT), 1, "", 0.0), None)
    assert model.data(model.index(0, PLATE)) == "7ABC123 → plate 7ABC128"
    assert model.data(model.index(0, MATCH)) == "corrected (7ABC128)"
    again = CorrectionDialog(workspace, controller, SearchRow(read, MatchKind.EXACT, "7ABC123"))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(again.revertButton.isEnabled, timeout=WAIT)
    again.reasonEdit.setPlainText("Second look: the crop was of another car.")
    click(qtbot, again.revertButton)
    qtbot.waitUntil(lambda: bool(log_events(store, "read.correction_reverted")), timeout=WAIT)


def _crop(read_id: int):
    import hashlib

    from alpr_desktop.core.models import ImageBlob

    data = b"crop-bytes"
    return ImageBlob(read_id, "crop", "jpeg", data, hashlib.sha256(data).hexdigest())
