"""The admin's Accounts screen: create, edit, disable, enable, reset a password, release a
lockout, and the service's refusals shown in the dialog."""

from __future__ import annotations

import pytest
import shiboken6
from gui_access import PASSWORDS, log_events, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.access_errors import AccountLocked, BadCredentials
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.account_edit import AccountEditDialog, ResetPasswordDialog
from alpr_desktop.gui.models.accounts_model import AccountsModel
from alpr_desktop.gui.views.accounts_view import AccountsView
from alpr_desktop.gui.views.workspace import ACCOUNTS
from alpr_desktop.services.auth import AuthService
from alpr_desktop.storage.accounts import AccountRepo


@pytest.fixture
def view(qtbot, workspace) -> AccountsView:
    sign_in(qtbot, workspace, "root")
    v = workspace.views[ACCOUNTS]
    qtbot.waitUntil(lambda: v.model.rowCount() == 4, timeout=10_000)
    return v


def status_of(view: AccountsView, username: str) -> str:
    return view.model.index(view.model.row_of(username), 5).data()


def submit_and_wait(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def wait_status(qtbot, view, username, status) -> None:
    qtbot.waitUntil(lambda: view.model.row_of(username) >= 0
                    and status_of(view, username) == status, timeout=10_000)


def test_model_passes_the_model_tester(view, qtmodeltester):
    qtmodeltester.check(view.model, force_py=True)
    assert [view.model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(3)] == ["Username", "Full name", "Organization"]


def test_empty_accounts_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(AccountsModel(), force_py=True)


def test_create_account_that_must_change_its_password(qtbot, view, store):
    dialog = view.new_account()
    assert isinstance(dialog, AccountEditDialog)
    dialog.usernameEdit.setText("deputy2")
    dialog.fullNameEdit.setText("Dee Deputy")
    dialog.organizationEdit.setText("LASD Carson Station")
    dialog.roleChecks[Role.ANALYST].setChecked(True)
    dialog.passwordEdit.setText("Lantern-Quarry-Violet-88")
    dialog.confirmEdit.setText("Lantern-Quarry-Violet-88")
    submit_and_wait(qtbot, dialog)
    # an analyst must be sworn with a badge: the dialog stays open with the service's reasons
    assert dialog.isVisible() and "sworn" in dialog.errorLabel.text()
    assert dialog.passwordEdit.text() == "Lantern-Quarry-Violet-88"  # kept to correct
    dialog.badgeEdit.setText("7781")
    dialog.swornCheck.setChecked(True)
    submit_and_wait(qtbot, dialog)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    # an analyst waits for a custodian's approval (separation of duties)
    wait_status(qtbot, view, "deputy2", "Awaiting approval")
    assert "when a custodian approves" in view.statusLabel.text()
    assert view.model.index(view.model.row_of("deputy2"), 8).data() == "Awaits approval"
    assert [e.detail["account"] for e in log_events(store, "account.created")] == ["deputy2"]


def test_separation_of_duties_is_refused(qtbot, view):
    view.select("keeper")
    dialog = view.edit_account()
    dialog.roleChecks[Role.CONTRACTOR].setChecked(True)
    submit_and_wait(qtbot, dialog)
    assert dialog.isVisible() and "separation of duties" in dialog.errorLabel.text()


def test_edit_disable_enable(qtbot, view, store):
    view.select("officer")
    dialog = view.edit_account()
    assert dialog.usernameEdit.isReadOnly()
    dialog.fullNameEdit.setText("Olivia O. Officer")
    submit_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: view.model.index(view.model.row_of("officer"), 1).data()
                    == "Olivia O. Officer", timeout=10_000)
    view.select("officer")
    assert view.toggleButton.text() == "&Disable"
    qtbot.mouseClick(view.toggleButton, Qt.MouseButton.LeftButton)
    wait_status(qtbot, view, "officer", "Disabled")
    with pytest.raises(BadCredentials):  # disabled: the same answer as a wrong password
        AuthService(store).sign_in("officer", PASSWORDS["officer"])
    view.select("officer")
    assert view.toggleButton.text() == "En&able"
    qtbot.mouseClick(view.toggleButton, Qt.MouseButton.LeftButton)
    wait_status(qtbot, view, "officer", "Disabled (re-enabling awaits approval)")
    assert "waits for a custodian's approval" in view.statusLabel.text()
    events = [e.event for e in log_events(store) if e.event.startswith("account.")]
    assert events[-3:] == ["account.updated", "account.disabled", "account.approval_requested"]


def test_admin_cannot_disable_themselves(qtbot, view):
    view.select("root")
    qtbot.mouseClick(view.toggleButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(w.objectName() == "problemBox" for w in _top_levels()),
                    timeout=10_000)
    box = next(w for w in _top_levels() if w.objectName() == "problemBox")
    assert "own account" in box.text()
    box.close()
    assert status_of(view, "root") == "Active"


def _top_levels():
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_reset_password_and_release_lockout(qtbot, view, store, clock):
    auth = AuthService(store, clock)
    for _ in range(5):
        with pytest.raises((BadCredentials, AccountLocked)):
            auth.sign_in("keeper", "Wrong-Password-Guess-1")
    view.refresh()
    wait_status(qtbot, view, "keeper", "Locked")
    view.select("keeper")
    assert view.releaseButton.isEnabled()
    qtbot.mouseClick(view.releaseButton, Qt.MouseButton.LeftButton)
    wait_status(qtbot, view, "keeper", "Active")
    assert AccountRepo(store).get("keeper").failed_attempts == 0

    view.select("keeper")
    dialog = view.reset_password()
    assert isinstance(dialog, ResetPasswordDialog)
    dialog.passwordEdit.setText("Temporary-Harbor-Key-61")
    dialog.confirmEdit.setText("Temporary-Harbor-Key-61")
    submit_and_wait(qtbot, dialog)
    wait_status(qtbot, view, "keeper", "Active (must change password)")
    assert "must change it" in view.statusLabel.text()
    session = AuthService(store, clock).sign_in("keeper", "Temporary-Harbor-Key-61")
    assert session.must_change_password
