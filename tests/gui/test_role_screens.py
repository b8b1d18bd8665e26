"""Each role sees only its screens and menu items, and the services refuse the rest anyway
(the screens are a convenience; the gate is the control)."""

from __future__ import annotations

import pytest
from gui_access import CASE, GOOD_NARRATIVE, log_events, sign_in

from alpr_desktop.core.access_errors import NotAuthorized
from alpr_desktop.core.agencies import AgencyInput
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.gui.views.workspace import (
    ACCOUNTS,
    AGENCIES,
    APPROVALS,
    AUDIT,
    INCIDENTS,
    INVESTIGATION,
    MAINTENANCE,
    MAINTENANCE_LOG,
    PERMISSIONS,
    REQUESTS,
    RETENTION,
    SECURITY,
    TITLES,
    TRAINING,
)
from alpr_desktop.services.workstation import OpenStore

EXPECTED = {
    "root": [ACCOUNTS, SECURITY, TRAINING, MAINTENANCE_LOG],
    "officer": [INVESTIGATION, REQUESTS],
    "keeper": [AUDIT, PERMISSIONS, APPROVALS, RETENTION, TRAINING, INCIDENTS,  # audit log first
               REQUESTS, AGENCIES, MAINTENANCE_LOG],
    "vendor": [MAINTENANCE, MAINTENANCE_LOG],  # no written permission: no Investigation
}
AGENCY = AgencyInput("Torrance Police Department", "law_enforcement", "california_local",
                     "Records, 3300 Civic Center Dr")
ENTRY = PurposeInput("criminal_investigation", "Vehicle theft", CASE, GOOD_NARRATIVE, True)

# What each screen's service calls look like; every one must be refused to the other roles.
CALLS = {
    ACCOUNTS: lambda s, ctx: s.accounts.list_accounts(ctx),
    SECURITY: lambda s, ctx: s.settings.set_idle_lock_minutes(ctx, 5),
    PERMISSIONS: lambda s, ctx: s.permissions.list_permissions(ctx),
    AGENCIES: lambda s, ctx: s.sharing.add_agency(ctx, AGENCY),
    INVESTIGATION: lambda s, ctx: s.purposes.declare(ctx, ENTRY),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_only_its_screens(qtbot, workspace, controller, username):
    sign_in(qtbot, workspace, username)
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    expected = EXPECTED[username]
    assert list(workspace.views) == expected
    tabs = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    assert tabs == [TITLES[k].replace("&", "") for k in expected]
    menu = [a.text() for a in workspace.screensMenu.actions()]
    assert menu == [TITLES[k] for k in expected]
    assert workspace.screensMenu.isEnabled()
    assert workspace.lockAction.isEnabled() and workspace.signOutAction.isEnabled()
    assert not workspace.signInAction.isEnabled()


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_services_refuse_the_other_roles_screens(qtbot, workspace, controller, store, username):
    sign_in(qtbot, workspace, username)
    qtbot.waitUntil(lambda: not controller.busy, timeout=10_000)
    for screen, call in CALLS.items():
        outcome: list[object] = []
        controller.run(call, outcome.append, outcome.append)
        qtbot.waitUntil(lambda o=outcome: bool(o), timeout=10_000)
        if screen in EXPECTED[username]:
            assert not isinstance(outcome[0], BaseException), (screen, outcome)
        else:
            assert isinstance(outcome[0], NotAuthorized), (username, screen, outcome)
    refused = {e.detail["action"] for e in log_events(store, "gate.refused")}
    assert refused  # every refusal is in the access log


def test_locked_session_shows_no_screen_menu(qtbot, workspace, controller):
    sign_in(qtbot, workspace, "root")
    controller.lock()
    assert not workspace.screensMenu.isEnabled()
    assert workspace.screensMenu.actions() == []
    assert workspace.signInAction.isEnabled() and not workspace.lockAction.isEnabled()


def test_main_window_runs_the_session(qtbot, store, clock, tmp_path):
    from gui_access import PASSWORDS, declare, try_credentials
    from PySide6.QtCore import QSettings

    from alpr_desktop.gui.dialogs.sign_in import SignInDialog
    from alpr_desktop.gui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    assert not window.lockAction.isEnabled()
    workspace = window.start_session(OpenStore.adopt(store), clock)
    dialog = workspace.dialog
    assert isinstance(dialog, SignInDialog) and dialog.isVisible()
    assert dialog.ui.pages.currentWidget() is dialog.ui.bannerPage
    assert window.userLabel.text() == "User: not signed in"
    try_credentials(qtbot, dialog, "officer", PASSWORDS["officer"])
    qtbot.waitUntil(lambda: window.controller.session is not None, timeout=10_000)
    assert window.stack.currentWidget() is workspace
    assert window.userLabel.text().startswith("User: Olivia Officer (officer) · LASD")
    assert window.purposeLabel.text() == "Purpose: No active purpose"
    session_menu = [a.text() for a in window.sessionMenu.actions()]
    assert session_menu == ["&Sign In…", "&Lock", "&Change Password…", "Sign &Out"]
    assert window.lockAction.shortcut().toString() == "Ctrl+L" and window.lockAction.isEnabled()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Session", "S&creens", "&Help"]
    declare(qtbot, window.controller)
    assert "case 123-45678-2026-001" in window.purposeLabel.text()
    window.lockAction.trigger()
    assert window.userLabel.text().startswith("User: Locked: Olivia Officer")
    assert window.purposeLabel.text() == ""
    window.signOutAction.trigger()
    assert window.stack.currentWidget() is window.panel
    assert window.userLabel.text() == "User: not signed in"
    # leaving the store signs out and detaches the session (logged while the store is open)
    window.start_session(OpenStore.adopt(store), clock).dialog.reject()
    window.end_session()
    assert window.controller is None and not window.lockAction.isEnabled()
    # the sign-out is shown at once and logged on a worker (no write on the GUI thread)
    qtbot.waitUntil(lambda: bool(log_events(store, "signout")), timeout=10_000)
