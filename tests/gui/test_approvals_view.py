"""The custodian's Account approvals screen (issue 10 §3, separation of duties): the admin's new
analyst waits there; the custodian approves it or rejects it with a reason; the accounts screen
flags accounts kept from before the rule. None of this existed on today's code."""

from __future__ import annotations

import pytest
import shiboken6
from gui_access import PASSWORDS, log_events, open_sign_in, sign_in, try_credentials
from PySide6.QtCore import Qt

from alpr_desktop.core.access_errors import (
    BAD_CREDENTIALS_MESSAGE,
    AwaitingApproval,
    BadCredentials,
)
from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.dialogs.account_decision import DecisionDialog
from alpr_desktop.gui.models.account_requests_model import AccountRequestsModel
from alpr_desktop.gui.views.approvals_view import ApprovalsView
from alpr_desktop.gui.views.workspace import ACCOUNTS, APPROVALS, TITLES
from alpr_desktop.security import passwords
from alpr_desktop.services.accounts import AccountService
from alpr_desktop.services.auth import AuthService
from alpr_desktop.storage.accounts import AccountRepo

DEPUTY_PASSWORD = "Lemon-Grove-Sunrise-9"


def _request_two(store, clock) -> None:
    """As the admin: a new analyst and a role change giving the contractor analyst."""
    auth = AuthService(store, clock)
    ctx = auth.context(auth.sign_in("root", PASSWORDS["root"]))
    accounts = AccountService(store, clock)
    accounts.create_account(ctx, username="deputy2", full_name="Dee Puty",
                            organization="LASD Carson Station", roles=frozenset({Role.ANALYST}),
                            initial_password=DEPUTY_PASSWORD, badge_number="5521", sworn=True)
    accounts.update_account(ctx, "vendor", roles=frozenset({Role.ANALYST}), sworn=True,
                            badge_number="9001")
    auth.sign_out(ctx.session)


@pytest.fixture
def view(qtbot, workspace, store, clock) -> ApprovalsView:
    _request_two(store, clock)
    sign_in(qtbot, workspace, "keeper")
    v = workspace.views[APPROVALS]
    qtbot.waitUntil(lambda: v.model.rowCount() == 2, timeout=10_000)
    return v


def _decide(qtbot, view: ApprovalsView, username: str, *, approve: bool, reason: str = ""):
    view.table.selectRow(next(i for i, r in enumerate(view.model.rows)
                              if r.username == username))
    button = view.approveButton if approve else view.rejectButton
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, DecisionDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.reasonEdit.setPlainText(reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=10_000)
    return dialog


def test_model_passes_the_model_tester(view, qtmodeltester):
    qtmodeltester.check(view.model, force_py=True)
    texts = {view.model.index(r, 2).data(): view.model.index(r, 3).data()
             for r in range(view.model.rowCount())}
    assert texts == {"deputy2": "Analyst (sworn officer)",
                     "vendor": "Contractor (maintenance) → Analyst (sworn officer)"}


def test_empty_requests_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(AccountRequestsModel(), force_py=True)


def test_custodian_menu_reaches_the_approvals_screen(qtbot, view, workspace):
    actions = {a.text(): a for a in workspace.screensMenu.actions()}
    assert TITLES[APPROVALS] in actions
    workspace.tabs.setCurrentIndex(0)
    actions[TITLES[APPROVALS]].trigger()
    assert workspace.tabs.currentWidget() is view


def test_approve_and_reject_with_a_reason(qtbot, view, store, clock, tmp_path):
    with pytest.raises(AwaitingApproval):
        AuthService(store, clock).sign_in("deputy2", DEPUTY_PASSWORD)
    view.resize(1024, 700)
    view.grab().save(str(tmp_path / "approvals.png"))

    dialog = _decide(qtbot, view, "deputy2", approve=True)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert "Approved: new account for deputy2" in view.statusLabel.text()
    deputy = AccountRepo(store).get("deputy2")  # (signing in here would end keeper's session)
    assert deputy.active and not deputy.pending and deputy.must_change_password

    # a rejection needs a reason: the dialog stays open and says so
    dialog = _decide(qtbot, view, "vendor", approve=False, reason="  ")
    assert dialog.isVisible() and "reason" in dialog.errorLabel.text()
    dialog.grab().save(str(tmp_path / "reject.png"))
    dialog.reasonEdit.setPlainText("No training record on file.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=10_000)
    assert "Rejected: role change for vendor" in view.statusLabel.text()
    assert AccountRepo(store).get("vendor").roles == {Role.CONTRACTOR}
    [rejected] = log_events(store, "account.rejected")
    assert rejected.username == "keeper" and rejected.detail["reason"] == \
        "No training record on file."
    assert [e.username for e in log_events(store, "account.approved")] == ["keeper"]


def test_legacy_combined_account_is_flagged_for_the_admin(
    qtbot, workspace, store, clock, tmp_path
):
    with store.transaction():
        AccountRepo(store).add(
            Account(None, "boss", "Bo Boss", "City of Carson",
                    roles=frozenset({Role.ADMIN, Role.CUSTODIAN})),
            passwords.hash_password("Granite-Meadow-Falcon-61"), clock.now_ms())
    sign_in(qtbot, workspace, "root")
    accounts = workspace.views[ACCOUNTS]
    qtbot.waitUntil(lambda: accounts.model.row_of("boss") >= 0, timeout=10_000)
    assert accounts.dutiesLabel.isVisible() and "boss" in accounts.dutiesLabel.text()
    note = accounts.model.index(accounts.model.row_of("boss"), 8).data()
    assert "separation of duties" in note
    workspace.resize(1024, 700)
    workspace.grab().save(str(tmp_path / "accounts.png"))
    with pytest.raises(BadCredentials):  # unaffected: the wrong password is still wrong
        AuthService(store, clock).sign_in("boss", "Not-The-Password-42")


def test_sign_in_dialog_says_awaiting_approval_only_after_the_right_password(
    qtbot, workspace, store, clock
):
    _request_two(store, clock)
    dialog = open_sign_in(qtbot, workspace)
    try_credentials(qtbot, dialog, "deputy2", "Not-The-Password-42")
    assert dialog.ui.errorLabel.text() == BAD_CREDENTIALS_MESSAGE
    try_credentials(qtbot, dialog, "deputy2", DEPUTY_PASSWORD)
    assert "waiting for the City custodian's approval" in dialog.ui.errorLabel.text()
    assert workspace.controller.session is None
