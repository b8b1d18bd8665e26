"""The app shell driven as a user would: first run, signing in (which opens the store), the
recovery passphrase, bad files, status bar, About."""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from alpr_desktop import __version__
from alpr_desktop.core import paths
from alpr_desktop.gui.dialogs.first_run import FirstRunDialog
from alpr_desktop.gui.dialogs.new_store import NewStoreDialog, RecoveryNoticeDialog
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.dialogs.unlock import UnlockDialog
from alpr_desktop.gui.main_window import MainWindow, StoreInfo
from alpr_desktop.gui.shell import LAST_STORE_KEY, Shell, build_and_unlock_demo
from alpr_desktop.gui.workers import Cancelled
from alpr_desktop.security import keys, keyslots, passwords
from alpr_desktop.security import workstation_secret as ws
from alpr_desktop.services.auth import AuthService
from alpr_desktop.services.demo_accounts import DEMO_ACCOUNTS
from alpr_desktop.services.first_accounts import FirstAccount
from alpr_desktop.services.stores import create_new_store, recover_store
from alpr_desktop.services.workstation import OpenStore
from alpr_desktop.storage import open_store

PASSPHRASE = "correct horse battery staple"
ADMIN, ADMIN_PASSWORD = "root", "Harbor-Lights-88x!"


class FakeAsker:
    """Stands in for the native file dialogs."""

    def __init__(self) -> None:
        self.open_result: Path | None = None
        self.save_result: Path | None = None

    def open_path(self, parent: QWidget) -> Path | None:
        return self.open_result

    def save_path(self, parent: QWidget, suggested: Path) -> Path | None:
        return self.save_result


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "DEFAULT_KDF", keys.KdfParams(n=2**14))
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def asker() -> FakeAsker:
    return FakeAsker()


@pytest.fixture
def shell(qtbot, settings: QSettings, asker: FakeAsker):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    sh = Shell(window, settings, asker=asker)
    yield sh
    sh.shutdown()


def make_store(tmp_path: Path, name: str = "case.alprdb", *, demo: bool = False) -> Path:
    """A store with one administrator (and so one key slot)."""
    path = tmp_path / "stores" / name
    with create_new_store(path, PASSPHRASE, demo=demo) as store:
        AuthService(store).create_first_accounts(
            FirstAccount(ADMIN, "Robin Root", "City IT", ADMIN_PASSWORD),
            FirstAccount("custodian1", "Casey Records", "City of Carson", "Ledger-Harbor-Quill-82"))
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """The store and its key file (the sign-in record counts attempts, as it should)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith((".signin", ".lock"))}


def sign_in_at(qtbot, shell: Shell, username: str = ADMIN,
               password: str = ADMIN_PASSWORD) -> SignInDialog:
    """Acknowledge the banner and submit the credentials in the store's sign-in dialog."""
    dialog = wait_dialog(qtbot, shell, SignInDialog)
    qtbot.mouseClick(dialog.ui.acknowledgeButton, Qt.MouseButton.LeftButton)
    dialog.ui.usernameEdit.setText(username)
    qtbot.keyClicks(dialog.ui.passwordEdit, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def closed(widget: QWidget) -> bool:
    """Closed dialogs delete themselves (WA_DeleteOnClose); either state counts."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def wait_dialog(qtbot, shell: Shell, cls: type) -> QWidget:
    qtbot.waitUntil(lambda: isinstance(shell.dialog, cls) and shell.dialog.isVisible())
    return shell.dialog


def wait_opened(qtbot, shell: Shell, timeout: int = 10_000) -> StoreInfo:
    qtbot.waitUntil(lambda: shell.info is not None, timeout=timeout)
    return shell.info


# -- first run ---------------------------------------------------------------------------------
def test_first_run_creates_store_with_key_file(qtbot, shell: Shell, tmp_path: Path, settings):
    shell.start()
    first = wait_dialog(qtbot, shell, FirstRunDialog)
    qtbot.mouseClick(first.createButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, shell, NewStoreDialog)
    target = tmp_path / "new" / "case-2025"  # the suffix is added
    dialog.ui.locationEdit.setText(str(target))
    qtbot.keyClicks(dialog.ui.passphraseEdit, PASSPHRASE)
    qtbot.keyClicks(dialog.ui.confirmEdit, PASSPHRASE)
    left_in_fields: list[str] = []
    ui = dialog.ui
    dialog.finished.connect(
        lambda _r: left_in_fields.extend([ui.passphraseEdit.text(), ui.confirmEdit.text()])
    )
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    info = wait_opened(qtbot, shell)
    store_path = tmp_path / "new" / "case-2025.alprdb"
    assert info.path == store_path and not info.is_demo
    assert store_path.is_file() and keys.keyfile_path(store_path).is_file()
    # the key file's recovery slot unwraps with the passphrase typed in the dialog
    assert len(keyslots.read_any(store_path).unwrap_recovery(PASSPHRASE)) == 32
    assert left_in_fields == ["", ""]  # the widgets forget the passphrase
    notice = wait_dialog(qtbot, shell, RecoveryNoticeDialog)
    assert notice.passphraseLabel.text() == PASSPHRASE
    shown_after: list[str] = []
    notice.finished.connect(lambda _r: shown_after.append(notice.passphraseLabel.text()))
    notice.accept()
    assert shown_after == [""]  # shown once, then forgotten
    assert shell.window.storeLabel.text() == "Store: case-2025.alprdb"
    assert shell.window.storeLabel.toolTip() == str(store_path)
    assert settings.value(LAST_STORE_KEY) == str(store_path)


@pytest.mark.parametrize(
    ("first", "second", "sentence"),
    [
        (PASSPHRASE, PASSPHRASE + "x", "not the same"),
        ("short pass", "short pass", "at least 12 characters"),
        ("", "", "at least 12 characters"),
    ],
)
def test_new_store_refuses_bad_passphrases(qtbot, shell: Shell, tmp_path, first, second, sentence):
    dialog = shell.new_store()
    target = tmp_path / "refused" / "x.alprdb"
    dialog.ui.locationEdit.setText(str(target))
    dialog.ui.passphraseEdit.setText(first)
    dialog.ui.confirmEdit.setText(second)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.ui.errorLabel.isVisible)
    assert sentence in dialog.ui.errorLabel.text()
    assert dialog.isVisible() and shell.info is None
    assert not target.parent.exists()
    assert dialog.ui.passphraseEdit.text() == "" and dialog.ui.confirmEdit.text() == ""


def test_new_store_refuses_existing_file(qtbot, shell: Shell, tmp_path: Path):
    existing = make_store(tmp_path)
    before = snapshot(existing.parent)
    dialog = shell.new_store()
    dialog.ui.locationEdit.setText(str(existing))
    dialog.ui.passphraseEdit.setText(PASSPHRASE)
    dialog.ui.confirmEdit.setText(PASSPHRASE)
    dialog.ok_button.click()
    assert "already exists" in dialog.ui.errorLabel.text()
    assert snapshot(existing.parent) == before


def test_new_store_escape_cancels_and_returns_to_first_run(qtbot, shell: Shell):
    dialog = shell.new_store(fallback=shell.first_run)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert closed(dialog)
    wait_dialog(qtbot, shell, FirstRunDialog)


# -- signing in opens the store -----------------------------------------------------------------
def test_signing_in_opens_the_store(qtbot, shell: Shell, tmp_path: Path):
    path = make_store(tmp_path)
    shell.start(store=path)
    dialog = wait_dialog(qtbot, shell, SignInDialog)
    assert shell.info is None and shell.store is None  # nothing open before the sign-in
    assert dialog.ui.pages.currentWidget() is dialog.ui.bannerPage  # the banner comes first
    assert "case.alprdb" in dialog.ui.contextLabel.text()
    sign_in_at(qtbot, shell)
    info = wait_opened(qtbot, shell)
    assert info.path == path and closed(dialog)
    session = shell.take_session()
    assert session is not None and session.username == ADMIN
    assert shell.window.panel.idValue.text() == keyslots.read_any(path).store_id
    assert not shell.window.demoLabel.isVisible()


@pytest.mark.parametrize("written_before", [True, False])
def test_signing_in_says_when_the_store_is_updated_for_this_version(
        qtbot, shell: Shell, tmp_path: Path, monkeypatch, written_before: bool):
    """A store written before the newest migration is updated on the way in (migration 0025
    rebuilds the access log: ~15 s per million entries): the busy button says so, then the
    store opens up to date. A store already up to date signs in without the message."""
    from alpr_desktop.storage import db

    everything = db._load_migrations()
    if written_before:
        monkeypatch.setattr(db, "_load_migrations", lambda: everything[:-1])
    path = make_store(tmp_path)
    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    said: list[tuple[int, int, str]] = []
    show = SignInDialog.show_updating

    def spy(self: SignInDialog, done: int, total: int) -> None:
        show(self, done, total)
        said.append((done, total, self.ok_button.text()))

    monkeypatch.setattr(SignInDialog, "show_updating", spy)
    shell.start(store=path)
    sign_in_at(qtbot, shell)
    wait_opened(qtbot, shell)
    assert said == ([(0, 1, "Updating the store for this version…")] if written_before else [])
    shell.close_store()
    with open_store(path, keyslots.read_any(path).unwrap_recovery(PASSPHRASE)) as s:
        assert s.schema_version() == everything[-1].version


def test_the_keyring_alone_opens_nothing(qtbot, shell: Shell, tmp_path: Path, memory_keyring):
    """What v1 did (open from the keyring without a question) is gone: with the keyring at
    hand the shell still asks who signs in, and a wrong password opens nothing."""
    path = make_store(tmp_path)
    assert memory_keyring.secrets  # the workstation secret is there
    shell.start(store=path)
    sign_in_at(qtbot, shell, password="not the password at all")
    dialog = shell.dialog
    qtbot.waitUntil(dialog.ui.errorLabel.isVisible)
    assert "Wrong username or password" in dialog.ui.errorLabel.text()
    assert shell.store is None and shell.info is None
    assert dialog.ui.passwordEdit.text() == ""


def test_start_offers_sign_in_to_the_last_store(qtbot, shell: Shell, tmp_path: Path, settings):
    path = make_store(tmp_path)
    settings.setValue(LAST_STORE_KEY, str(path))
    shell.start()
    sign_in_at(qtbot, shell)
    assert wait_opened(qtbot, shell).path == path


def test_start_with_vanished_last_store_shows_first_run(qtbot, shell: Shell, tmp_path, settings):
    settings.setValue(LAST_STORE_KEY, str(tmp_path / "gone.alprdb"))
    shell.start()
    wait_dialog(qtbot, shell, FirstRunDialog)


def test_locked_keyring_leads_to_the_recovery_passphrase(qtbot, shell: Shell, tmp_path,
                                                         memory_keyring):
    path = make_store(tmp_path)
    before = snapshot(path.parent)
    memory_keyring.locked = True
    shell.start(store=path)
    signin_dialog = wait_dialog(qtbot, shell, SignInDialog)
    qtbot.mouseClick(signin_dialog.ui.acknowledgeButton, Qt.MouseButton.LeftButton)
    # Sign-in says why it cannot open the store here, and the passphrase is the way on.
    assert "no usable keyring" in signin_dialog.ui.errorLabel.text()
    assert not signin_dialog.ok_button.isEnabled()
    assert signin_dialog.recoveryButton.isVisible() and signin_dialog.recoveryButton.isDefault()
    qtbot.mouseClick(signin_dialog.recoveryButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, shell, UnlockDialog)
    assert "case.alprdb" in dialog.ui.storeLabel.text()

    qtbot.keyClicks(dialog.ui.passphraseEdit, "not the passphrase")
    qtbot.keyClick(dialog.ui.passphraseEdit, Qt.Key.Key_Return)  # Enter = Unlock (default)
    qtbot.waitUntil(dialog.ui.errorLabel.isVisible)
    assert "recovery passphrase is not correct" in dialog.ui.errorLabel.text()
    assert dialog.isVisible() and shell.info is None
    assert dialog.ui.passphraseEdit.text() == ""
    assert snapshot(path.parent) == before  # a wrong passphrase changes nothing

    qtbot.keyClicks(dialog.ui.passphraseEdit, PASSPHRASE)
    dialog.ok_button.click()
    assert wait_opened(qtbot, shell).path == path
    assert closed(dialog)
    assert shell.take_session() is None  # recovery opens the store; a sign-in follows


def test_recovery_on_another_machine_makes_a_new_workstation_secret(
    qtbot, shell: Shell, tmp_path, memory_keyring
):
    path = make_store(tmp_path)
    store_id = keyslots.read_any(path).store_id
    memory_keyring.secrets.clear()  # the store copied to a machine without its secret
    shell.start(store=path)
    signin_dialog = wait_dialog(qtbot, shell, SignInDialog)
    assert "does not hold the workstation secret" in signin_dialog.ui.errorLabel.text()
    signin_dialog.recoveryButton.click()
    dialog = wait_dialog(qtbot, shell, UnlockDialog)
    assert dialog.ui.rememberCheck.isHidden()
    dialog.ui.passphraseEdit.setText(PASSPHRASE)
    dialog.ok_button.click()
    wait_opened(qtbot, shell)
    state, secret = ws.get(store_id)
    assert state is ws.SecretState.FOUND and keyslots.read_any(path).matches(secret)
    assert keyslots.read_any(path).slots == {}  # bound to the old secret: dropped


def test_sign_in_cancel_returns_to_first_run(qtbot, shell: Shell, tmp_path):
    path = make_store(tmp_path)
    shell.start(store=path)
    dialog = wait_dialog(qtbot, shell, SignInDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    wait_dialog(qtbot, shell, FirstRunDialog)
    assert shell.info is None


# -- files that are not good stores ------------------------------------------------------------
def _plain_sqlite(tmp_path: Path) -> Path:
    """An unencrypted SQLite file with a (borrowed) key file beside it."""
    real = make_store(tmp_path, "real.alprdb")
    path = real.parent / "plain.alprdb"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    keys.keyfile_path(path).write_bytes(keys.keyfile_path(real).read_bytes())
    return path


def _truncated(tmp_path: Path) -> Path:
    path = make_store(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 700])
    return path


def _newer_schema(tmp_path: Path) -> Path:
    path = make_store(tmp_path)
    key = keyslots.read_any(path).unwrap_recovery(PASSPHRASE)
    with open_store(path, key) as store:
        store.execute(
            "INSERT INTO schema_version(version, name, applied_ms) VALUES (9999, 'future', 0)"
        )
    return path


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "stores" / "notes.alprdb"
    path.parent.mkdir(parents=True)
    path.write_text("meeting notes, not a store\n")
    return path


def _no_key_file(tmp_path: Path) -> Path:
    path = make_store(tmp_path, "nokey.alprdb")
    keys.keyfile_path(path).unlink()
    return path


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        (_plain_sqlite, "unencrypted SQLite database, not an encrypted ALPR store"),
        (_truncated, "badly damaged"),
        (_newer_schema, "written by a newer version of the program"),
        (_text_file, "text file, not an ALPR store"),
        (_no_key_file, "key file nokey.alprdb.key is missing"),
    ],
    ids=["not-a-store", "truncated", "newer-schema", "text-file", "no-key-file"],
)
def test_bad_store_shows_sentence_and_changes_nothing(qtbot, shell, tmp_path, make, sentence):
    path = make(tmp_path)
    before = snapshot(path.parent)
    shell.start(store=path)
    qtbot.waitUntil(lambda: isinstance(shell.dialog, QMessageBox | SignInDialog))
    if isinstance(shell.dialog, SignInDialog):  # found only once the key opens the file
        sign_in_at(qtbot, shell)
    box = wait_dialog(qtbot, shell, QMessageBox)
    assert sentence in box.text()
    assert box.informativeText()  # what to do next
    assert box.detailedText() == ""  # typed errors carry no technical details
    assert shell.info is None and shell.store is None
    assert snapshot(path.parent) == before
    box.accept()
    wait_dialog(qtbot, shell, FirstRunDialog)  # the user can pick another store


def test_open_from_menu_keeps_current_store_on_error(qtbot, shell, tmp_path, asker):
    good = make_store(tmp_path)
    shell.start(store=good)
    sign_in_at(qtbot, shell)
    wait_opened(qtbot, shell)
    asker.open_result = _no_key_file(tmp_path / "other")
    shell.window.openAction.trigger()
    box = wait_dialog(qtbot, shell, QMessageBox)
    box.accept()
    assert shell.info.path == good and shell.store is not None


def test_open_and_close_from_menu(qtbot, shell: Shell, tmp_path: Path, asker):
    path = make_store(tmp_path)
    shell.window.show()
    asker.open_result = path
    shell.window.openAction.trigger()
    sign_in_at(qtbot, shell)
    assert wait_opened(qtbot, shell).path == path
    assert shell.window.closeStoreAction.isEnabled()
    shell.window.closeStoreAction.trigger()
    assert shell.store is None and shell.info is None
    assert shell.window.storeLabel.text() == "No store open"
    assert not shell.window.closeStoreAction.isEnabled()


# -- status bar, About, policy -----------------------------------------------------------------
def test_status_bar_shows_demo_marker(qtbot, shell: Shell, tmp_path: Path, settings):
    path = make_store(tmp_path, "demo.alprdb", demo=True)
    shell.start(store=path)
    sign_in_at(qtbot, shell)
    info = wait_opened(qtbot, shell)
    assert info.is_demo
    window = shell.window
    assert window.demoLabel.isVisible() and "DEMO" in window.demoLabel.text()
    assert window.storeLabel.text() == "Store: demo.alprdb"
    assert "DEMO" in window.windowTitle()
    assert settings.value(LAST_STORE_KEY) is None  # the demo is never the default store
    window.closeStoreAction.trigger()
    assert not window.demoLabel.isVisible()


def test_about_shows_version(qtbot, shell: Shell):
    shell.window.show()
    dialog = shell.window.show_about()
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.textLabel.text()
    assert f"Version {__version__}" in text
    assert "Resolution No. 22-253" in text and "PySide6" in text
    dialog.reject()


def test_policy_text_is_shown(qtbot, shell: Shell):
    dialog = shell.window.show_policy()
    assert "RESOLUTION NO. 22-253" in dialog.text.toPlainText()
    dialog.reject()


def test_session_actions_are_placeholders(shell: Shell):
    w = shell.window
    assert not any(a.isEnabled() for a in (w.signInAction, w.lockAction, w.signOutAction))
    assert w.lockAction.shortcut().toString() == "Ctrl+L"
    assert w.quitAction.shortcut().toString() == "Ctrl+Q"


# -- demo ---------------------------------------------------------------------------------------
def test_demo_builds_with_progress_then_opens(qtbot, shell: Shell, tmp_path: Path):
    demo_path = make_store(tmp_path, "demo.alprdb", demo=True)
    reported = threading.Event()

    def fake_demo(progress) -> OpenStore:
        for i in range(0, 101, 25):
            assert progress(i, 100) is True
        assert reported.wait(5)
        store = recover_store(demo_path, PASSPHRASE)
        return OpenStore.adopt(store)

    shell.demo_task = fake_demo
    shell.start(demo=True)
    progress = shell.dialog
    qtbot.waitUntil(lambda: progress.value() == 100)
    assert progress.maximum() == 100 and "100 of 100" in progress.labelText()
    reported.set()
    info = wait_opened(qtbot, shell)
    assert info.is_demo and shell.window.demoLabel.isVisible()
    assert closed(progress)


def test_demo_cancel_opens_nothing(qtbot, shell: Shell):
    def slow_demo(progress) -> OpenStore:
        for i in range(2_000):
            if progress(i, 2_000) is False:
                raise Cancelled()
            time.sleep(0.005)
        raise AssertionError("not cancelled")

    shell.demo_task = slow_demo
    shell.window.show()
    shell.open_demo()
    progress = shell.dialog
    qtbot.waitUntil(progress.isVisible)  # appears after its minimum duration
    assert progress.maximum() == 2_000
    cancel = progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in shell.window.statusBar().currentMessage())
    assert shell.info is None and shell.store is None
    assert closed(progress)


def test_demo_with_the_real_builder(qtbot, shell: Shell):
    """--demo end to end at a small size: built at the demo path, opened, marked DEMO."""
    shell.demo_task = functools.partial(build_and_unlock_demo, reads=40)
    shell.start(demo=True)
    (user, password) = DEMO_ACCOUNTS[1][0].username, DEMO_ACCOUNTS[1][1]
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SignInDialog), timeout=120_000)
    sign_in_at(qtbot, shell, user, password)  # the README's demo password opens it
    info = wait_opened(qtbot, shell, timeout=120_000)
    assert shell.take_session().username == "analyst"
    assert info.is_demo and info.path == paths.demo_store_path()
    assert shell.window.demoLabel.isVisible()


def test_cancelled_real_demo_build_leaves_nothing(qtbot, shell: Shell):
    shell.demo_task = functools.partial(build_and_unlock_demo, reads=20_000)
    shell.window.show()
    shell.open_demo()
    progress = shell.dialog
    qtbot.waitUntil(lambda: progress.maximum() == 20_000, timeout=60_000)
    progress.canceled.emit()  # what the Cancel button and Esc do
    status = shell.window.statusBar()
    qtbot.waitUntil(lambda: "cancelled" in status.currentMessage(), timeout=60_000)
    assert shell.info is None
    folder = paths.demo_store_path().parent
    assert not folder.exists() or list(folder.iterdir()) == []


def test_signed_in_store_goes_straight_to_the_users_screens(qtbot, shell: Shell, tmp_path):
    """As app.py wires it: the session that opened the store is the window's session; no
    second sign-in dialog."""
    window = shell.window
    shell.store_opened.connect(
        lambda _info: window.start_session(shell.store, session=shell.take_session()))
    path = make_store(tmp_path)
    shell.start(store=path)
    sign_in_at(qtbot, shell)
    qtbot.waitUntil(lambda: window.controller is not None
                    and window.controller.session is not None)
    assert window.controller.session.username == ADMIN
    assert window.stack.currentWidget() is window.workspace
    assert window.workspace.dialog is None  # not asked again
    window.end_session()


def test_demo_without_a_keyring_opens_with_its_published_passphrase(qtbot, shell: Shell,
                                                                    memory_keyring):
    memory_keyring.locked = True  # a headless machine
    shell.demo_task = functools.partial(build_and_unlock_demo, reads=40)
    shell.start(demo=True)
    info = wait_opened(qtbot, shell, timeout=120_000)
    assert info.is_demo and shell.take_session() is None  # a demo account signs in next
    assert "published recovery passphrase" in shell.window.statusBar().currentMessage()
    assert memory_keyring.secrets == {}  # nothing stored in plaintext instead


def test_demo_moved_to_a_new_keyring_gets_its_demo_slots_back(memory_keyring):
    """The demo's passwords are published: after the published passphrase rebinds the demo
    store to a new workstation secret, every demo account signs in again."""
    from alpr_desktop.services import signin

    path = build_and_unlock_demo(lambda _d, _t: True, reads=20)
    assert isinstance(path, Path)  # with a keyring, the demo opens by signing in
    memory_keyring.secrets.clear()
    again = build_and_unlock_demo(lambda _d, _t: True, reads=20)
    assert again == path
    for account, password in DEMO_ACCOUNTS:
        opened = signin.sign_in(path, account.username, password)
        opened.store.close()
