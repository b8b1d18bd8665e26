"""Fixtures and steps shared by the GUI access tests: a store with one account per role, fast
password hashing, a fixed clock, a session controller and the workspace, and a sign-in that
goes through the real dialog. Test modules import the fixtures they use from here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.clock import FixedClock
from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.purposes import PurposeInput
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import INVESTIGATION, Workspace
from alpr_desktop.security import keys, passwords
from alpr_desktop.storage import Store, create_store
from alpr_desktop.storage.access_log import AccessLogRepo
from alpr_desktop.storage.accounts import AccountRepo
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

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


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**12))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "gui.alprdb"


@pytest.fixture
def store_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def empty_store(fast_hashing: None, store_path: Path, store_key: bytes) -> Iterator[Store]:
    s = create_store(store_path, store_key)
    yield s
    s.close()


@pytest.fixture
def store(empty_store: Store, clock: FixedClock) -> Store:
    """A store with root (admin), officer (analyst), keeper (custodian), vendor (contractor)
    and three reads of 7ABC123."""
    repo = AccountRepo(empty_store)
    with empty_store.transaction():
        for person in PEOPLE:
            repo.add(person, passwords.hash_password(PASSWORDS[person.username]), clock.now_ms())
        cam = CameraRepo(empty_store).add(Camera(None, "Avalon & 223rd NB", "Carson"))
        ReadRepo(empty_store).insert_many(
            [NewRead("7ABC123", T_DEC + i * 3600, cam, state="CA", make="Honda",
                     confidence=91.0) for i in range(3)]
            + [NewRead("8XYZ999", T_DEC, cam)]
        )
    return empty_store


@pytest.fixture
def controller(qtbot, store: Store, clock: FixedClock) -> Iterator[SessionController]:
    c = SessionController(store, clock)
    yield c
    c.shutdown()
    qtbot.waitUntil(lambda: not c.busy, timeout=5000)


@pytest.fixture
def workspace(qtbot, controller: SessionController) -> Workspace:
    w = Workspace(controller, store_label="gui.alprdb")
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    return w


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
