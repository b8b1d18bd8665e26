"""The program as launched (app.launch) moves the workstation's log witness on when the user
signs out, so what was done in the session is witnessed before anyone else sits down. Before
this change the witness moved only on its two-minute timer and at close: a sign-out followed
by a rollback of the store lost the session's entries from the witness."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.security import keys, witness
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.stores import create_new_store
from alpr_desktop.storage.access_log import AccessLogRepo

ADMIN, ADMIN_PASSWORD = "root", "Harbor-Lights-88x!"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))


def witnessed(store_id: str) -> int | None:
    _state, data = witness.load()
    seen = data.stores.get(store_id)
    return None if seen is None else seen.count


def test_signing_out_moves_the_witness(qtbot, tmp_path: Path) -> None:
    from alpr_desktop.app import launch

    path = tmp_path / "case.alprdb"
    with create_new_store(path, "correct horse battery staple") as store:
        AuthService(store).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PASSWORD),
            FirstAccount("custodian1", "Casey Records", "City of Carson",
                         "Ledger-Harbor-Quill-82"))
    app, shell = launch(store=path)
    window = shell.window
    try:
        qtbot.waitUntil(lambda: isinstance(shell.dialog, SignInDialog)
                        and shiboken6.isValid(shell.dialog) and shell.dialog.isVisible(),
                        timeout=20_000)
        dialog = shell.dialog
        qtbot.mouseClick(dialog.ui.acknowledgeButton, Qt.MouseButton.LeftButton)
        dialog.ui.usernameEdit.setText(ADMIN)
        qtbot.keyClicks(dialog.ui.passwordEdit, ADMIN_PASSWORD)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.controller is not None
                        and window.controller.session is not None, timeout=20_000)
        sid = shell.store.store_id
        at_open = witnessed(sid)
        assert at_open is not None
        own = shell.store._store.reopen()  # the test's own connection, outside the services
        log = AccessLogRepo(own)
        log_size_before = log.head()[0]
        window.signOutAction.trigger()
        qtbot.waitUntil(lambda: witnessed(sid) == log.head()[0] > log_size_before,
                        timeout=10_000)  # the sign-out entry is witnessed too
        assert [e.event for e in log.entries(log_size_before)] == ["signout"]
        assert witnessed(sid) > at_open
        own.close()
    finally:
        for slot in (window.end_session, shell.shutdown):
            app.aboutToQuit.disconnect(slot)
        window.end_session()
        shell.shutdown()
        window.close()
        QApplication.processEvents()
