"""The session lock (CJIS 5.5.5): after inactivity, on Ctrl+L; what it hides and clears, and
what unlocks it."""

from __future__ import annotations

import shiboken6
from gui_access import PASSWORDS, activate, declare, log_events, search, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import INVESTIGATION, PERMISSIONS, Workspace
from alpr_desktop.storage.purposes import PurposeRepo


def idle_tick(qtbot, controller: SessionController) -> None:
    """The timer's tick; the check runs on a worker (no query on the GUI thread)."""
    controller.idle_timer.timeout.emit()
    qtbot.waitUntil(lambda: not controller.idle_checking)


def test_idle_lock_hides_data_closes_dialogs_clears_our_clipboard(
    qtbot, workspace: Workspace, controller: SessionController, store, clock
):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    model = view.model
    assert model.rowCount() == 3 and view.resultsView.isVisible()
    controller.copy_text("7ABC123")
    dialog = QDialog(workspace)
    dialog.setWindowTitle("Some open dialog")
    dialog.open()
    assert dialog.isVisible()
    clock.advance(14 * 60)
    idle_tick(qtbot, controller)
    assert not controller.is_locked  # 14 minutes is not yet idle (default 15)
    clock.advance(60)
    idle_tick(qtbot, controller)

    assert controller.is_locked
    assert model.rowCount() == 0  # the reads left memory before the view was deleted
    assert not shiboken6.isValid(view) or not view.isVisible()  # deleted once the check ended
    assert workspace.views == {} and workspace.tabs.count() == 0
    assert workspace.currentWidget() is workspace.lockScreen
    assert not workspace.tabs.isVisible()
    assert not dialog.isVisible()
    assert QApplication.clipboard().text() == ""
    # the purpose is kept across a lock of the same user (issue 12); nothing can use it
    assert controller.purpose is not None and PurposeRepo(store).open_for(2) is not None
    assert not log_events(store, "purpose.ended")
    assert [e.detail["reason"] for e in log_events(store, "session.locked")] == ["idle"]
    assert not workspace.screensMenu.isEnabled() and not workspace.lockAction.isEnabled()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view))

    lock = workspace.lockScreen
    assert "Olivia Officer (officer)" in lock.whoLabel.text()
    lock.passwordEdit.setText("Not-My-Password-11")
    qtbot.mouseClick(lock.unlockButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lock.errorLabel.text() != "", timeout=10_000)
    assert lock.errorLabel.text() == "Wrong username or password."
    assert controller.is_locked and lock.passwordEdit.text() == ""
    lock.passwordEdit.setText(PASSWORDS["officer"])
    qtbot.keyClick(lock.passwordEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not controller.is_locked, timeout=10_000)
    assert workspace.currentWidget() is workspace.tabs
    fresh = workspace.views[INVESTIGATION]
    assert fresh is not view and fresh.searchButton.isEnabled()
    assert "case 123-45678-2026-001" in fresh.purposeLabel.text()
    # the form is back and the results are fetched again, as a new logged search
    assert fresh.plateEdit.text() == "7ABC123"
    qtbot.waitUntil(lambda: fresh.model.rowCount() == 3, timeout=10_000)
    assert len(log_events(store, "search")) == 2


def test_input_counts_as_activity(qtbot, workspace, controller, clock):
    sign_in(qtbot, workspace, "officer")
    for _ in range(3):
        clock.advance(14 * 60)
        qtbot.keyClick(workspace.views[INVESTIGATION].plateEdit, Qt.Key.Key_A)
        idle_tick(qtbot, controller)
        assert not controller.is_locked
    clock.advance(15 * 60)
    idle_tick(qtbot, controller)
    assert controller.is_locked


def test_timer_alone_never_keeps_the_session_alive(qtbot, workspace, controller, clock):
    sign_in(qtbot, workspace, "officer")
    for _ in range(15):
        clock.advance(60)
        idle_tick(qtbot, controller)
    assert controller.is_locked


def test_clipboard_the_user_replaced_is_left_alone(qtbot, workspace, controller):
    sign_in(qtbot, workspace, "officer")
    controller.copy_text("7ABC123")
    QApplication.clipboard().setText("the user's own note")
    activate(qtbot, workspace)
    qtbot.keyClick(workspace, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.is_locked
    assert QApplication.clipboard().text() == "the user's own note"


def test_ctrl_l_locks_and_sign_out_ends_the_session(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    activate(qtbot, workspace)
    qtbot.keyClick(workspace.views[INVESTIGATION], Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier)
    assert controller.is_locked  # at once; the log entry is written on a worker
    qtbot.waitUntil(lambda: not controller.busy)
    assert [e.detail["reason"] for e in log_events(store, "session.locked")] == ["manual"]
    workspace.signOutAction.trigger()
    assert controller.session is None
    assert workspace.currentWidget() is workspace.signedOutPage
    qtbot.waitUntil(lambda: not controller.busy)
    assert log_events(store, "signout")


def test_another_user_signing_in_ends_the_locked_session(qtbot, workspace, controller, store):
    sign_in(qtbot, workspace, "officer")
    controller.lock()
    qtbot.mouseClick(workspace.lockScreen.otherButton, Qt.MouseButton.LeftButton)
    sign_in_dialog = workspace.dialog
    assert sign_in_dialog is not None and sign_in_dialog.isVisible()
    assert sign_in_dialog.ui.pages.currentWidget() is sign_in_dialog.ui.bannerPage
    sign_in_dialog.reject()  # cancelling leaves the lock screen as it was
    assert controller.is_locked and workspace.currentWidget() is workspace.lockScreen
    qtbot.mouseClick(workspace.lockScreen.otherButton, Qt.MouseButton.LeftButton)
    sign_in_dialog = workspace.dialog
    sign_in_dialog.ui.acknowledgeButton.click()
    sign_in_dialog.ui.usernameEdit.setText("keeper")
    sign_in_dialog.ui.passwordEdit.setText(PASSWORDS["keeper"])
    sign_in_dialog.ok_button.click()
    qtbot.waitUntil(lambda: controller.session is not None
                    and controller.session.username == "keeper", timeout=10_000)
    assert not controller.is_locked
    assert PERMISSIONS in workspace.views and INVESTIGATION not in workspace.views
    ended = log_events(store, "session.ended")
    assert [(e.username, e.detail["reason"]) for e in ended] == [
        ("officer", "another_user_signed_in")
    ]


def test_idle_minutes_come_from_the_security_settings(qtbot, workspace, controller, store, clock):
    from alpr_desktop.storage.security_settings import set_idle_lock_minutes

    set_idle_lock_minutes(store, 1)
    sign_in(qtbot, workspace, "officer")
    clock.advance(61)
    idle_tick(qtbot, controller)
    assert controller.is_locked


def test_lock_keeps_purpose_and_form_then_sign_out_ends_the_purpose(
    qtbot, workspace: Workspace, controller: SessionController, store
):
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    view = workspace.views[INVESTIGATION]
    view.filters.setChecked(True)
    view.filters.makeEdit.setText("Honda")
    search(qtbot, workspace)
    declared = controller.purpose
    with qtbot.waitSignal(workspace.status_message) as cleared:
        controller.lock()
    assert cleared.args == [""]  # the search's count leaves the status bar too
    assert workspace.views == {} and controller.purpose == declared
    assert "purpose and search form are kept" in workspace.lockScreen.whoLabel.text()
    workspace.lockScreen.passwordEdit.setText(PASSWORDS["officer"])
    workspace.lockScreen.unlock()
    qtbot.waitUntil(lambda: not controller.is_locked, timeout=10_000)
    fresh = workspace.views[INVESTIGATION]
    assert fresh.filters.isChecked() and fresh.filters.makeEdit.text() == "Honda"
    qtbot.waitUntil(lambda: fresh.model.rowCount() == 3, timeout=10_000)
    [first, again] = log_events(store, "search")
    assert again.query["filters"] == first.query["filters"] == {"makes": ["Honda"]}
    assert again.purpose == first.purpose
    workspace.signOutAction.trigger()
    qtbot.waitUntil(lambda: not controller.busy)
    assert [e.detail["reason"] for e in log_events(store, "purpose.ended")] == ["signed_out"]


def test_busy_workers_without_input_lock_on_time(qtbot, workspace, controller, store, clock):
    """Issue 10 §4: background work (cameras, thumbnails, pages, context() calls) is not
    activity. Today every worker's context() postponed the lock, so it never came."""
    sign_in(qtbot, workspace, "officer")
    declare(qtbot, controller)
    search(qtbot, workspace)
    view = workspace.views[INVESTIGATION]
    ids = [r.read.id for r in view.model.rows]
    answers: list[object] = []
    for minute in range(1, 16):
        clock.advance(60)
        if controller.is_locked:
            break
        view.load_cameras()
        view._load_thumbnails(ids)
        controller.run(lambda s, ctx: s.search.cameras(), answers.append, answers.append)
        controller.run(lambda s, ctx: ctx.purpose, answers.append, answers.append)
        qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
        idle_tick(qtbot, controller)
        assert controller.is_locked == (minute >= 15), minute
    assert controller.is_locked
    [locked] = log_events(store, "session.locked")
    assert locked.detail["reason"] == "idle"


def test_synthesized_moves_are_not_input(qtbot, workspace, controller, clock):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    sign_in(qtbot, workspace, "officer")
    clock.advance(15 * 60)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(5, 5), QPointF(5, 5),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(workspace, move)  # not from the window system
    idle_tick(qtbot, controller)
    assert controller.is_locked


def test_warning_shows_a_minute_before_the_idle_lock(qtbot, workspace, controller, clock):
    sign_in(qtbot, workspace, "officer")
    bar = workspace.idleBar
    clock.advance(13 * 60)
    idle_tick(qtbot, controller)
    assert not bar.isVisible()
    clock.advance(60)  # 60 s left
    idle_tick(qtbot, controller)
    assert bar.isVisible() and "60 seconds" in bar.messageLabel.text()
    assert QApplication.activeModalWidget() is None  # work goes on under it
    qtbot.mouseClick(bar.stayButton, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    clock.advance(14 * 60)
    idle_tick(qtbot, controller)
    assert not controller.is_locked
    clock.advance(60)
    idle_tick(qtbot, controller)
    assert controller.is_locked and not bar.isVisible()
