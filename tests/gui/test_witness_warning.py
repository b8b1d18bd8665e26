"""The workstation's log witness in the app: an older copy of the store put back is told as a
warning sentence when the store opens (and written to its log); a store that only grew opens
quietly. The witness moves on when the store is closed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt

from alpr_desktop.core.audit_log import LogEvent
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.main_window import MainWindow, StoreInfo
from alpr_desktop.gui.shell import Shell
from alpr_desktop.security import keys
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage.access_log import AccessLogRepo

PASSPHRASE = "correct horse battery staple"
ADMIN, ADMIN_PASSWORD = "root", "Harbor-Lights-88x!"


def make_store(path: Path) -> None:
    with create_new_store(path, PASSPHRASE) as store:
        AuthService(store).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PASSWORD),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    sh = Shell(window, settings)
    yield sh
    sh.shutdown()


def open_store(qtbot, shell: Shell, path: Path) -> StoreInfo:
    opened: list[StoreInfo] = []
    shell.store_opened.connect(opened.append)
    shell.open_path(path)  # signing in opens it
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SignInDialog)
                    and shiboken6.isValid(shell.dialog) and shell.dialog.isVisible())
    dialog = shell.dialog
    qtbot.mouseClick(dialog.ui.acknowledgeButton, Qt.MouseButton.LeftButton)
    dialog.ui.usernameEdit.setText(ADMIN)
    qtbot.keyClicks(dialog.ui.passwordEdit, ADMIN_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    shell.store_opened.disconnect(opened.append)
    return opened[0]


def grow(shell: Shell, n: int) -> None:
    repo = AccessLogRepo(shell.store._store)
    for i in range(n):
        repo.append(LogEvent("search", "ok", "officer", query={"pattern": f"7ABC{i}"}), i)


def test_an_older_copy_put_back_is_told_as_a_warning(qtbot, shell: Shell, tmp_path: Path):
    path = tmp_path / "case.alprdb"
    make_store(path)
    old = tmp_path / "older-copy.alprdb"
    shutil.copyfile(path, old)

    info = open_store(qtbot, shell, path)
    assert info.witness_warning == ""
    grow(shell, 20)
    shell.window.closeStoreAction.trigger()  # the witness moves on at close (on a worker)
    qtbot.waitUntil(lambda: not shell.busy)

    shutil.copyfile(old, path)
    info = open_store(qtbot, shell, path)
    assert "are missing" in info.witness_warning
    box = shell.witness_box
    assert shiboken6.isValid(box) and box.isVisible()
    assert "rolled back" in box.text()
    assert box.windowTitle() == "Access Log Rolled Back or Rewritten"
    assert "rolled back" in shell.window.statusBar().currentMessage()
    logged = [e for e in AccessLogRepo(shell.store._store).entries(limit=100)
              if e.event == "log.witness_mismatch"]
    assert len(logged) == 1 and logged[0].detail["witnessed_count"] > 20
    box.resize(520, 200)
    box.grab().save(str(tmp_path / "witness-warning.png"))


def test_a_store_that_only_grew_opens_quietly(qtbot, shell: Shell, tmp_path: Path):
    path = tmp_path / "case.alprdb"
    make_store(path)
    open_store(qtbot, shell, path)
    grow(shell, 5)
    shell.advance_witness()  # the periodic tick, on a worker
    qtbot.waitUntil(lambda: not shell._tasks, timeout=10_000)
    shell.window.closeStoreAction.trigger()
    info = open_store(qtbot, shell, path)
    assert info.witness_warning == ""
    assert getattr(shell, "witness_box", None) is None
    assert shell.witness_timer.isActive()
