"""The audit view's checkpoint actions as the custodian meets them: "Issue Checkpoint…" (a
wrong password told in the dialog, then a signed owner-only file) and "Verify Against
Checkpoint…" (intact; a truncated log named as missing entries; an altered file refused)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
import shiboken6
from gui_access import PASSWORDS, log_events, sign_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "log"))
from log_attacks import truncate_tail

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.gui.views.audit_view import AuditView
from alpr_desktop.gui.views.workspace import AUDIT
from alpr_desktop.security import secret_wrap
from alpr_desktop.security.checkpoints import read_checkpoint_file
from alpr_desktop.storage.access_log import AccessLogRepo

WAIT = 15_000


@pytest.fixture(autouse=True)
def _fast_wrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_wrap, "DEFAULT_COST", secret_wrap.ScryptCost(n=2**12))


def open_view(qtbot, workspace, tmp_path: Path) -> AuditView:
    sign_in(qtbot, workspace, "keeper")
    view = workspace.views[AUDIT]
    workspace.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.loading and view.total is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not workspace.controller.busy, timeout=WAIT)
    view.checkpoint_dir = tmp_path
    return view


def issue(qtbot, view: AuditView, password: str, target: Path):
    qtbot.mouseClick(view.issueCheckpointButton, Qt.MouseButton.LeftButton)
    dialog = view.checkpoint_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.pathEdit.text().startswith(str(view.checkpoint_dir))
    assert dialog.pathEdit.text().endswith(".alprcheckpoint")
    dialog.pathEdit.setText(str(target))
    qtbot.keyClicks(dialog.passwordEdit, password)
    qtbot.mouseClick(dialog.issueButton, Qt.MouseButton.LeftButton)
    return dialog


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def verify_against(qtbot, view: AuditView, path: Path) -> None:
    view.choose_checkpoint = lambda _parent, _start: str(path)
    qtbot.mouseClick(view.verifyCheckpointButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.verifying, timeout=WAIT)


def test_issue_checkpoint_asks_for_the_password_and_saves_the_file(qtbot, workspace, store,
                                                                   tmp_path):
    view = open_view(qtbot, workspace, tmp_path)
    target = tmp_path / "march.alprcheckpoint"
    dialog = issue(qtbot, view, "not my password", target)
    qtbot.waitUntil(lambda: dialog.issueButton.isEnabled(), timeout=WAIT)
    assert "password is not correct" in dialog.problemLabel.text()
    assert dialog.isVisible() and not target.exists()
    dialog.passwordEdit.clear()
    qtbot.keyClicks(dialog.passwordEdit, PASSWORDS["keeper"])
    qtbot.keyClick(dialog.passwordEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: target.exists() and closed(dialog), timeout=WAIT)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    signed = read_checkpoint_file(target)
    qtbot.waitUntil(lambda: getattr(view, "checkpoint_box", None) is not None, timeout=WAIT)
    assert signed.fingerprint in view.checkpoint_box.text()
    issued = log_events(store, "checkpoint.issued")
    assert issued[-1].username == "keeper"
    assert issued[-1].detail["entry_count"] == signed.checkpoint.entry_count
    view.checkpoint_box.grab().save(str(tmp_path / "box.png"))


def test_guessing_in_the_checkpoint_dialog_locks_the_account(qtbot, workspace, store,
                                                            tmp_path):
    """Each wrong password counts toward the account's lockout, as at sign-in; the fifth says
    until when, and the account is locked for signing in too."""
    from alpr_desktop.core.access_errors import AccountLocked
    from alpr_desktop.services.auth import AuthService

    view = open_view(qtbot, workspace, tmp_path)
    target = tmp_path / "guess.alprcheckpoint"
    dialog = issue(qtbot, view, "guess number 1", target)
    for attempt in range(2, 6):
        qtbot.waitUntil(lambda: dialog.issueButton.isEnabled(), timeout=WAIT)
        dialog.passwordEdit.clear()
        qtbot.keyClicks(dialog.passwordEdit, f"guess number {attempt}")
        qtbot.keyClick(dialog.passwordEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "locked until" in dialog.problemLabel.text(), timeout=WAIT)
    dialog.grab().save(str(tmp_path / "checkpoint-locked.png"))
    assert not target.exists()
    failed = [e for e in log_events(store, "checkpoint.issue") if e.outcome == "failed"]
    assert len(failed) == 5 and failed[-1].detail["failed_attempts"] == 5
    with pytest.raises(AccountLocked):
        AuthService(store, workspace.controller.clock).sign_in("keeper", PASSWORDS["keeper"])


def test_verify_against_a_checkpoint_intact_then_truncated(qtbot, workspace, store, tmp_path):
    repo = AccessLogRepo(store)
    with store.transaction():
        for i in range(40):
            repo.append(LogEvent("search", "ok", "officer", "LASD Carson Station",
                                 query={"pattern": f"7ABC{i:03d}"}, result_count=1), i)
    view = open_view(qtbot, workspace, tmp_path)
    target = tmp_path / "cp.alprcheckpoint"
    dialog = issue(qtbot, view, PASSWORDS["keeper"], target)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    cp = read_checkpoint_file(target).checkpoint
    verify_against(qtbot, view, target)
    panel = view.verifyPanel
    assert panel.stateLabel.text() == "INTACT"
    assert f"({cp.entry_count:,} entries; key {cp.key_fingerprint})" in \
        panel.summaryLabel.text()
    assert log_events(store, "audit.verify")[-1].detail["checkpoint"]["entry_count"] == \
        cp.entry_count

    keep = cp.entry_count - 12
    truncate_tail(store, keep)
    verify_against(qtbot, view, target)
    assert panel.stateLabel.text() == "NOT INTACT"
    text = panel.brokenLabel.text()
    assert f"{cp.entry_count:,} are missing: the log ends before the checkpoint" in text
    assert text.startswith("Entries ")
    assert not panel.showButton.isVisible()
    view.resize(1024, 700)
    view.grab().save(str(tmp_path / "audit-checkpoint.png"))


def test_an_altered_checkpoint_is_refused_in_a_sentence(qtbot, workspace, store, tmp_path):
    view = open_view(qtbot, workspace, tmp_path)
    target = tmp_path / "cp.alprcheckpoint"
    dialog = issue(qtbot, view, PASSWORDS["keeper"], target)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    d = json.loads(target.read_text())
    d["checkpoint"]["entry_count"] = 1
    target.write_text(json.dumps(d))
    verify_against(qtbot, view, target)
    assert view.verifyPanel.stateLabel.text() == "Not verified"
    refused = log_events(store, "audit.verify")[-1]
    assert refused.outcome == "refused" and "signature" in refused.detail["checkpoint_refused"]
    box = view.findChild(QMessageBox, "problemBox")
    assert box is not None and "signature is not valid" in box.text()
