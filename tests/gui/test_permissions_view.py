"""The custodian records and revokes a contractor's written permission (policy §2)."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from gui_access import log_events, sign_in
from PySide6.QtCore import QDate, Qt

from alpr_desktop.gui.dialogs.permission import PermissionDialog, RevokeDialog, day_start_s
from alpr_desktop.gui.models.permissions_model import PermissionsModel
from alpr_desktop.gui.views.permissions_view import PermissionsView
from alpr_desktop.gui.views.workspace import PERMISSIONS
from alpr_desktop.storage.permissions import PermissionRepo

COVERS = "Check the misreads of the Avalon camera reported in ticket 4411, reads only."


@pytest.fixture
def view(qtbot, workspace) -> PermissionsView:
    sign_in(qtbot, workspace, "keeper")
    v = workspace.views[PERMISSIONS]
    qtbot.waitUntil(lambda: not workspace.controller.busy, timeout=10_000)
    return v


def submit_and_wait(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def fill(dialog: PermissionDialog, contractor: str = "vendor") -> None:
    dialog.referenceEdit.setText("CC-2026-014")
    dialog.contractorEdit.setEditText(contractor)
    dialog.coversEdit.setPlainText(COVERS)
    dialog.fromEdit.setDate(QDate(2025, 12, 1))
    dialog.toEdit.setDate(QDate(2025, 12, 31))
    dialog.expiresEdit.setDate(QDate(2026, 1, 31))


def test_record_then_revoke(qtbot, view, store, qtmodeltester):
    qtmodeltester.check(view.model, force_py=True)
    dialog = view.record()
    assert isinstance(dialog, PermissionDialog)
    fill(dialog)
    submit_and_wait(qtbot, dialog)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    [p] = PermissionRepo(store).all()
    assert (p.reference, p.contractor_username, p.purpose) == ("CC-2026-014", "vendor", COVERS)
    assert p.window.start == day_start_s(date(2025, 12, 1))
    assert p.window.end == day_start_s(date(2026, 1, 1)) - 1
    assert p.expires_ms == day_start_s(date(2026, 2, 1)) * 1000
    assert view.model.index(0, 7).data() == "Active"
    assert "Recorded CC-2026-014" in view.statusLabel.text()
    assert log_events(store, "permission.granted")

    view.table.selectRow(0)
    assert view.revokeButton.isEnabled()
    revoke = view.revoke()
    assert isinstance(revoke, RevokeDialog)
    submit_and_wait(qtbot, revoke)
    assert revoke.isVisible() and "why" in revoke.errorLabel.text()
    revoke.reasonEdit.setText("Work finished")
    submit_and_wait(qtbot, revoke)
    qtbot.waitUntil(lambda: view.model.index(0, 7).data() == "Revoked", timeout=10_000)
    view.table.selectRow(0)
    assert not view.revokeButton.isEnabled()
    assert [e.detail["reason"] for e in log_events(store, "permission.revoked")] == [
        "Work finished"
    ]


def test_permission_only_for_a_contractor(qtbot, view, store):
    dialog = view.record()
    fill(dialog, contractor="officer")
    submit_and_wait(qtbot, dialog)
    assert dialog.isVisible() and "not an active contractor" in dialog.errorLabel.text()
    assert PermissionRepo(store).all() == []


def test_dialog_lists_the_active_contractors(qtbot, view):
    dialog = view.record()
    combo = dialog.contractorEdit
    combo.setEditText("ven")  # typed before the list arrives: kept
    qtbot.waitUntil(lambda: combo.count() > 0, timeout=10_000)
    assert [combo.itemText(i) for i in range(combo.count())] == ["vendor"]
    assert combo.currentText() == "ven"
    combo.setCurrentIndex(0)
    assert dialog.work() is not None and combo.currentText() == "vendor"
    dialog.reject()


def test_empty_permissions_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(PermissionsModel(), force_py=True)
