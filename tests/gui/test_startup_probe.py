"""ALPR_DESKTOP_STARTUP_PROBE: the bundle's smoke test learns that the real program came up
(main window shown, a store's sign-in waiting) and the program then quits by itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from alpr_desktop.gui import startup_probe
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.shell import Shell
from alpr_desktop.security import keys, passwords
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.stores import create_new_store


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def shell(qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    sh = Shell(window, settings)
    yield sh
    sh.shutdown()


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "stores" / "probe.alprdb"
    with create_new_store(path, "correct horse battery staple") as store:
        AuthService(store).create_first_accounts(
            FirstAccount("root", "Robin Root", "City IT", "Harbor-Lights-88x!"),
            FirstAccount("custodian1", "Casey Records", "City of Carson",
                         "Ledger-Harbor-Quill-82"))
    return path


def test_without_the_variable_nothing_is_watched(shell: Shell) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert startup_probe.install(app, shell, env={}) is None


def test_the_sign_in_waiting_on_a_store_is_reported_once_then_the_program_quits(
        qtbot, shell: Shell, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    target = tmp_path / "probe.json"
    quits: list[bool] = []
    assert startup_probe.ready_state(shell) is None  # no window yet
    timer = startup_probe.install(app, shell, env={startup_probe.ENV: str(target)},
                                  quit=lambda: quits.append(True))
    assert timer is not None
    shell.start(store=_store(tmp_path))
    qtbot.waitUntil(target.exists, timeout=20_000)
    state = json.loads(target.read_text())
    assert state["waiting"] == "SignInDialog"
    assert state["store_open"] is False
    assert state["platform"] == "offscreen"
    assert isinstance(state["ready_at"], float)
    assert state["window"]  # the main window's title
    assert quits == [True]
    assert not timer.isActive()  # told once
