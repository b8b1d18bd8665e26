"""First run creates the first administrator and the first custodian together (issue 10 §3):
two people, both active, each able to sign in to their own screens. Today's first-run dialog
created one administrator only, who then could make a custodian alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_access import log_events, sign_in
from PySide6.QtCore import Qt

from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.first_admin import FirstAccountsDialog
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.views.workspace import (
    ACCOUNTS,
    APPROVALS,
    AUDIT,
    PERMISSIONS,
    RETENTION,
    Workspace,
)
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import Store
from alpr_desktop.storage.accounts import AccountRepo

ADMIN = ("chief", "Chris Chief", "Harbor-Keys-Admin-Q7x")
CUSTODIAN = ("clerk", "Cleo Clerk", "Civic-Center-Ledger-5M")


@pytest.fixture
def fresh_workspace(qtbot, empty_store: Store, clock) -> Iterator[Workspace]:
    c = SessionController(OpenStore.adopt(empty_store), clock)
    w = Workspace(c)
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    yield w
    c.shutdown()
    qtbot.waitUntil(lambda: not c.busy)


def fill(box, username: str, full_name: str, password: str, confirm: str | None = None) -> None:
    box.usernameEdit.setText(username)
    box.fullNameEdit.setText(full_name)
    box.passwordEdit.setText(password)
    box.confirmEdit.setText(password if confirm is None else confirm)


def submit(qtbot, dialog: FirstAccountsDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)


def test_first_run_creates_admin_and_custodian_then_signs_in(
    qtbot, fresh_workspace, empty_store, tmp_path: Path
):
    dialog = fresh_workspace.start()
    assert isinstance(dialog, FirstAccountsDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.resize(1024, dialog.sizeHint().height())
    assert dialog.sizeHint().height() <= 700  # fits the smallest supported screen
    fill(dialog.adminBox, *ADMIN)
    fill(dialog.custodianBox, *CUSTODIAN)
    dialog.grab().save(str(tmp_path / "first_accounts.png"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(fresh_workspace.dialog, SignInDialog), timeout=10_000)
    repo = AccountRepo(empty_store)
    chief, clerk = repo.get("chief"), repo.get("clerk")
    assert chief.roles == {Role.ADMIN} and chief.active
    assert clerk.roles == {Role.CUSTODIAN} and clerk.active and not clerk.pending
    assert [e.detail["account"] for e in log_events(empty_store, "account.created")] == [
        "chief", "clerk"]
    sign_in(qtbot, fresh_workspace, "clerk", CUSTODIAN[2])
    assert list(fresh_workspace.views) == [AUDIT, PERMISSIONS, APPROVALS, RETENTION, "training",
                                           "incidents", "requests", "agencies",
                                           "maintenance_log"]
    fresh_workspace.controller.sign_out()
    sign_in(qtbot, fresh_workspace, "chief", ADMIN[2])
    assert list(fresh_workspace.views) == [ACCOUNTS, "security", "training", "maintenance_log"]
    fresh_workspace.controller.sign_out()
    assert isinstance(fresh_workspace.start(), SignInDialog)  # not offered again


@pytest.mark.parametrize(("custodian", "says"), [
    (("chief", "Someone Else", "Civic-Center-Ledger-5M"), "different usernames"),
    (("clerk", "Chris Chief", "Civic-Center-Ledger-5M"), "two different people"),
    (("clerk", "Cleo Clerk", "password"), "12 characters"),
    (("clerk", "Cleo Clerk", ADMIN[2]), "different passwords"),
])
def test_first_run_refuses_one_person_or_weak_passwords(
    qtbot, fresh_workspace, empty_store, custodian, says
):
    dialog = fresh_workspace.start()
    fill(dialog.adminBox, *ADMIN)
    fill(dialog.custodianBox, *custodian)
    submit(qtbot, dialog)
    qtbot.waitUntil(dialog.errorLabel.isVisible, timeout=10_000)
    assert says in dialog.errorLabel.text()
    assert dialog.isVisible() and fresh_workspace.controller.needs_first_admin()
    assert dialog.adminBox.passwordEdit.text() == "" == dialog.custodianBox.confirmEdit.text()
    assert AccountRepo(empty_store).count() == 0


def test_mismatched_confirmation_is_caught_before_the_service(qtbot, fresh_workspace):
    dialog = fresh_workspace.start()
    fill(dialog.adminBox, *ADMIN)
    fill(dialog.custodianBox, *CUSTODIAN, confirm="Civic-Center-Ledger-5X")
    submit(qtbot, dialog)
    assert "custodian's password and its confirmation" in dialog.errorLabel.text()
    assert fresh_workspace.controller.needs_first_admin()


def test_every_field_has_its_own_keyboard_mnemonic(fresh_workspace):
    from PySide6.QtWidgets import QLabel

    dialog = fresh_workspace.start()
    labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    assert len(labels) == 10
    keys = [w.text()[w.text().index("&") + 1].lower() for w in labels]
    keys.append(dialog.ok_button.text()[dialog.ok_button.text().index("&") + 1].lower())
    assert len(keys) == len(set(keys))
