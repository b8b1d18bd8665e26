"""Data and steps shared by the GUI access tests: one account per role with its password, a
purpose, and a sign-in that goes through the real dialog. The fixtures (store, clock, session
controller, workspace) live in conftest.py."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import INVESTIGATION, Workspace
from alpr_desktop.storage import Store
from alpr_desktop.storage.access_log import AccessLogRepo

PASSWORDS = {
    "root": "Harbor-Keys-Admin-Q7x",
    "officer": "Avalon-Night-Patrol-3K",
    "keeper": "Civic-Center-Ledger-5M",
    "vendor": "Pole-Ladder-Service-8W",
}
PEOPLE = (
    Account(None, "root", "Robin Root", "City of Carson IT", roles=frozenset({Role.ADMIN})),
    Account(None, "officer", "Olivia Officer", "LASD Carson Station", badge_number="4471",
            sworn=True, roles=frozenset({Role.ANALYST})),
    Account(None, "keeper", "Kim Keeper", "City of Carson", roles=frozenset({Role.CUSTODIAN})),
    Account(None, "vendor", "Val Vendor", "Acme ALPR Services",
            roles=frozenset({Role.CONTRACTOR})),
)
GOOD_NARRATIVE = (
    "A silver Honda Civic was stolen from the Carson Mall parking lot on Avalon Blvd at "
    "23:10 Friday; seeking to identify the suspect vehicle and its direction of travel."
)
CASE = "123-45678-2026-001"
T_DEC = 1_766_000_000  # 2025-12-17, before the FixedClock's 2026-01-01


def activate(qtbot, widget) -> None:
    """Make ``widget``'s window the active one, as a click would: window shortcuts need it."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def log_events(store: Store, event: str | None = None) -> list:
    entries = AccessLogRepo(store).entries(limit=100_000)
    return [e for e in entries if event is None or e.event == event]


def open_sign_in(qtbot, workspace: Workspace) -> SignInDialog:
    dialog = workspace.show_sign_in()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def try_credentials(qtbot, dialog: SignInDialog, username: str, password: str) -> None:
    """Type and submit; wait for the worker's answer (busy ends)."""
    if not dialog.acknowledged:
        qtbot.mouseClick(dialog.ui.acknowledgeButton, Qt.MouseButton.LeftButton)
    dialog.ui.usernameEdit.setText(username)
    dialog.ui.passwordEdit.setText(password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def sign_in(qtbot, workspace: Workspace, username: str, password: str | None = None) -> None:
    dialog = open_sign_in(qtbot, workspace)
    try_credentials(qtbot, dialog, username, password or PASSWORDS[username])
    qtbot.waitUntil(lambda: workspace.controller.session is not None
                    and workspace.controller.session.username == username, timeout=10_000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())


PURPOSE = PurposeInput("criminal_investigation", "Vehicle theft", CASE, GOOD_NARRATIVE, True)


def declare(qtbot, controller: SessionController) -> None:
    done: list[object] = []
    controller.declare_purpose(PURPOSE, None, done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert controller.purpose is not None, done


def search(qtbot, workspace: Workspace, plate: str = "7ABC123") -> None:
    view = workspace.views[INVESTIGATION]
    view.plateEdit.setText(plate)
    qtbot.mouseClick(view.searchButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)


class QueryThreads:
    """SQL statements the services ran, split by thread: on the GUI thread (a defect, DESIGN
    rule 7) or on workers."""

    def __init__(self) -> None:
        self.on_gui_thread: list[str] = []
        self.on_workers = 0
        self._lock = threading.Lock()

    def trace(self, sql: str) -> None:
        with self._lock:
            if threading.current_thread() is threading.main_thread():  # QApplication's
                self.on_gui_thread.append(sql)
            else:
                self.on_workers += 1


def approve_agencies(store: Store, clock: object, *names: str) -> None:
    """Register and approve ``names`` in the agency registry (issue 15: nothing leaves for an
    agency that is not there). ``clock`` is a Clock or None."""
    from alpr_desktop.core.agencies import AgencyKind, Jurisdiction
    from alpr_desktop.storage.agencies import AgencyRepo

    now = clock.now_ms() if clock is not None else 1_767_225_600_000  # type: ignore[attr-defined]
    repo = AgencyRepo(store)
    with store.transaction():
        for name in names:
            kind = (AgencyKind.PROSECUTORIAL if "attorney" in name.lower()
                    else AgencyKind.LAW_ENFORCEMENT)
            agency = repo.add(name, kind, Jurisdiction.CALIFORNIA_LOCAL, "Records unit", "",
                              "keeper", now)
            repo.approve(agency.id or 0, "keeper", now)
