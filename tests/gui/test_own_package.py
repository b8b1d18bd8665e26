"""The analyst's own prosecution package from the Investigation screen's results (issue 15):
only approved agencies are offered, the package verifies, the release is logged with the
receiving agency; with no approved agency nothing can be sent. Looked at at 1024x700."""

from __future__ import annotations

from pathlib import Path

from gui_access import approve_agencies, declare, log_events, search, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.gui.views.workspace import INVESTIGATION
from alpr_desktop.services.evidence_package_verify import verify_package


def _dialog(qtbot, workspace, controller):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace, "7ABC123")
    view = workspace.views[INVESTIGATION]
    d = view.investigator_views.own_package()
    assert d is not None and d.isVisible()
    return view, d


def test_own_case_package_from_the_results(qtbot, workspace, controller, store,
                                           tmp_path: Path) -> None:
    approve_agencies(store, None, "Los Angeles County District Attorney")
    view, d = _dialog(qtbot, workspace, controller)
    qtbot.waitUntil(lambda: d.agency.count() == 1, timeout=10_000)
    assert d.agency.currentText() == "Los Angeles County District Attorney"
    d.recipient.setText("DDA Sam Ortiz")
    d.folderEdit.setText(str(tmp_path))
    d.zipCheck.setChecked(True)
    d.grab().save(str(tmp_path.parent / "own-package-dialog.png"))
    qtbot.mouseClick(d.buttons.button(d.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "your own case written" in view.statusLabel.text(), timeout=30_000)
    [packed] = list(tmp_path.glob("evidence-own-case-*.zip"))
    assert verify_package(packed).intact
    [e] = [x for x in log_events(store, "sharing.disclosure") if x.outcome == "ok"]
    assert e.agency == "Los Angeles County District Attorney"
    assert e.detail["kind"] == "evidence_package_own_case" and e.username == "officer"
    workspace.resize(1024, 700)
    workspace.grab().save(str(tmp_path.parent / "own-package-done.png"))


def test_without_an_approved_agency_nothing_can_be_sent(qtbot, workspace, controller,
                                                        tmp_path: Path) -> None:
    _view, d = _dialog(qtbot, workspace, controller)
    qtbot.waitUntil(lambda: d.problem.isVisible(), timeout=10_000)
    assert "No agency is approved" in d.problem.text()
    assert not d.buttons.button(d.buttons.StandardButton.Ok).isEnabled()
    d.reject()
