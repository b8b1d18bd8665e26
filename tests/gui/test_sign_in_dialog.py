"""Sign-in as a user meets it: the banner first, one answer for every wrong guess, the lockout
that survives a restart, the forced password change, and the first administrator."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from gui_access import PASSWORDS, log_events, open_sign_in, sign_in, try_credentials
from PySide6.QtCore import Qt

from alpr_desktop.core.access_errors import BAD_CREDENTIALS_MESSAGE
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.gui.dialogs.change_password import ChangePasswordDialog
from alpr_desktop.gui.dialogs.sign_in import banner_text
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import INVESTIGATION, Workspace
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import Store, open_store
from alpr_desktop.storage.accounts import AccountRepo


def test_banner_says_what_cjis_requires() -> None:
    text = banner_text().lower()
    for phrase in ("restricted", "monitored", "audited", "prohibited", "punish", "consent"):
        assert phrase in text


def test_credentials_are_unreachable_until_the_banner_is_acknowledged(qtbot, workspace):
    dialog = open_sign_in(qtbot, workspace)
    ui = dialog.ui
    assert ui.pages.currentWidget() is ui.bannerPage
    assert "AUTHORIZED USE ONLY" in ui.bannerText.toPlainText()
    assert not ui.usernameEdit.isVisible() and not ui.credentialsPage.isEnabled()
    # The keyboard cannot reach the fields: tabbing cycles through the banner page only.
    seen = set()
    for _ in range(8):
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
        seen.add(dialog.focusWidget())
    assert ui.usernameEdit not in seen and ui.passwordEdit not in seen
    # A submit without acknowledging does nothing.
    ui.usernameEdit.setText("officer")
    ui.passwordEdit.setText(PASSWORDS["officer"])
    ui.buttonBox.accepted.emit()
    assert not workspace.controller.busy and workspace.controller.session is None
    qtbot.mouseClick(ui.acknowledgeButton, Qt.MouseButton.LeftButton)
    assert ui.pages.currentWidget() is ui.credentialsPage and ui.credentialsPage.isEnabled()
    assert dialog.focusWidget() is ui.usernameEdit


def test_decline_closes_without_signing_in(qtbot, workspace, store: Store):
    dialog = open_sign_in(qtbot, workspace)
    qtbot.mouseClick(dialog.ui.declineButton, Qt.MouseButton.LeftButton)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert workspace.controller.session is None
    assert not [e for e in log_events(store) if e.event.startswith("signin")]


def test_escape_on_the_banner_declines(qtbot, workspace):
    dialog = open_sign_in(qtbot, workspace)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert workspace.controller.session is None


def test_sign_in_shows_user_and_role_screens(qtbot, workspace, store: Store):
    statuses: list[tuple[str, str]] = []
    workspace.status_changed.connect(lambda u, p: statuses.append((u, p)))
    sign_in(qtbot, workspace, "officer")
    assert workspace.currentWidget() is workspace.tabs
    assert list(workspace.views) == [INVESTIGATION, "requests"]
    user, purpose = statuses[-1]
    assert user == ("Olivia Officer (officer) · LASD Carson Station · Analyst (sworn officer)")
    assert purpose == "Purpose: No active purpose"
    assert [e.username for e in log_events(store, "signin.ok")] == ["officer"]


def test_wrong_password_and_unknown_user_get_the_same_answer(qtbot, workspace):
    dialog = open_sign_in(qtbot, workspace)
    try_credentials(qtbot, dialog, "officer", "Not-The-Password-99")
    wrong = dialog.ui.errorLabel.text()
    assert dialog.ui.passwordEdit.text() == ""  # cleared after use
    try_credentials(qtbot, dialog, "nobody-here", "Not-The-Password-99")
    unknown = dialog.ui.errorLabel.text()
    assert wrong == unknown == BAD_CREDENTIALS_MESSAGE
    assert dialog.isVisible() and workspace.controller.session is None


def _restart(qtbot, path: Path, key: bytes, clock: FixedClock) -> tuple[Store, Workspace]:
    reopened = open_store(path, key)
    c = SessionController(OpenStore.adopt(reopened), clock)
    w = Workspace(c)
    qtbot.addWidget(w)
    w.show()
    return reopened, w


def test_five_wrong_passwords_lock_and_a_restart_keeps_it_locked(
    qtbot, workspace, controller, store: Store, store_path, store_key, clock
):
    dialog = open_sign_in(qtbot, workspace)
    answers_real, answers_unknown = [], []
    for _ in range(5):
        try_credentials(qtbot, dialog, "officer", "Wrong-Guess-Number-1")
        answers_real.append(dialog.ui.errorLabel.text())
        try_credentials(qtbot, dialog, "no-such-user", "Wrong-Guess-Number-1")
        answers_unknown.append(dialog.ui.errorLabel.text())
    assert answers_real == answers_unknown  # nothing tells a real account from a made-up one
    assert answers_real[:4] == [BAD_CREDENTIALS_MESSAGE] * 4
    assert "locked" in answers_real[4]
    try_credentials(qtbot, dialog, "officer", PASSWORDS["officer"])
    assert "locked" in dialog.ui.errorLabel.text() and controller.session is None
    assert len(log_events(store, "account.locked")) == 1
    dialog.reject()

    # Restart: close everything, reopen the file with a new controller and window.
    controller.shutdown()
    store.close()
    reopened, w2 = _restart(qtbot, store_path, store_key, clock)
    try:
        dialog2 = open_sign_in(qtbot, w2)
        try_credentials(qtbot, dialog2, "officer", PASSWORDS["officer"])
        assert "locked" in dialog2.ui.errorLabel.text()
        assert w2.controller.session is None
        clock.advance(11 * 60)  # the lock runs out after ten minutes
        try_credentials(qtbot, dialog2, "officer", PASSWORDS["officer"])
        qtbot.waitUntil(lambda: w2.controller.session is not None)
    finally:
        w2.controller.shutdown()
        qtbot.waitUntil(lambda: not w2.controller.busy)
        reopened.close()


def test_reset_password_forces_a_change_and_cancel_signs_out(qtbot, workspace, store, clock):
    repo = AccountRepo(store)
    officer = repo.get("officer")
    assert officer is not None
    repo.set_password(officer.id or 0, repo.record("officer").password_hash, must_change=True,
                      now_ms=clock.now_ms())
    sign_in(qtbot, workspace, "officer")
    forced = workspace.dialog
    assert isinstance(forced, ChangePasswordDialog) and forced.forced and forced.isVisible()
    assert workspace.views == {}  # no screen until the password is changed
    qtbot.keyClick(forced, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: workspace.controller.session is None)
    assert workspace.currentWidget() is workspace.signedOutPage

    sign_in(qtbot, workspace, "officer")
    forced = workspace.dialog
    assert isinstance(forced, ChangePasswordDialog)
    forced.ui.currentEdit.setText(PASSWORDS["officer"])
    forced.ui.newEdit.setText("Quiet-Harbor-Lantern-42")
    forced.ui.confirmEdit.setText("Quiet-Harbor-Lantern-43")
    qtbot.mouseClick(forced.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in forced.ui.errorLabel.text()
    assert forced.ui.newEdit.text() == forced.ui.currentEdit.text() == ""
    forced.ui.currentEdit.setText(PASSWORDS["officer"])
    forced.ui.newEdit.setText("password1234")
    forced.ui.confirmEdit.setText("password1234")
    qtbot.mouseClick(forced.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "common" in forced.ui.errorLabel.text(), timeout=10_000)
    forced.ui.currentEdit.setText(PASSWORDS["officer"])
    forced.ui.newEdit.setText("Quiet-Harbor-Lantern-42")
    forced.ui.confirmEdit.setText("Quiet-Harbor-Lantern-42")
    qtbot.mouseClick(forced.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: INVESTIGATION in workspace.views, timeout=10_000)
    assert not workspace.controller.session.must_change_password
    assert [e.username for e in log_events(store, "password.changed")] == ["officer"]


def test_the_busy_button_says_when_the_store_is_being_updated(qtbot, tmp_path: Path) -> None:
    """While the opening store applies this version's migrations the busy button says so
    (sign-in and the recovery passphrase alike); an idle dialog is left as it is."""
    from alpr_desktop.core.store_format import updating_text
    from alpr_desktop.gui.dialogs.sign_in import SignInDialog
    from alpr_desktop.gui.dialogs.unlock import UnlockDialog

    assert updating_text(0, 1) == "Updating the store for this version…"
    assert updating_text(1, 3) == "Updating the store for this version (2 of 3)…"
    sign = SignInDialog(None, context="Store: x.alprdb", submit=lambda *_a: None)
    unlock = UnlockDialog(None, tmp_path / "x.alprdb")
    for dialog, idle in ((sign, "&Sign In"), (unlock, "&Unlock")):
        qtbot.addWidget(dialog)
        dialog.show_updating(0, 2)
        assert dialog.ok_button.text() == idle
        dialog.set_busy(True)
        dialog.show_updating(1, 2)
        assert dialog.ok_button.text() == "Updating the store for this version (2 of 2)…"
        dialog.set_busy(False)
        assert dialog.ok_button.text() == idle
