"""From start-up to a signed-in user in the main window: signing in is what opens a store.

The shell decides which store to open (``--demo``, ``--store``, the last one used, or the
first-run dialog), then shows the sign-in dialog (banner first) whose username and password
open the store through the user's key slot (services/signin.py) and start the session. Where
only the recovery passphrase can open the store on this machine (no workstation secret in the
keyring, a store copied from elsewhere, an old store whose key is not here), the sign-in dialog
says so and leads to the recovery dialog, which stays reachable from sign-in at all times. A
store opened with the recovery passphrase (or just created) has nobody signed in: the window
then asks for the first administrator or a sign-in against the store.

Every step is driven by signals and non-blocking dialogs (``open()``, never ``exec()``), and
every slow step (scrypt, opening and migrating a store, building the demo) runs on a worker,
so the GUI thread stays responsive and tests can step through the flow.

Failures never change a file: the services refuse before writing, and the shell only shows the
sentence (errors.show_error) and falls back to the previous state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from alpr_desktop.core import paths
from alpr_desktop.core.access_errors import AccessError
from alpr_desktop.core.accounts import Session
from alpr_desktop.core.extract import EXTRACT_SUFFIX
from alpr_desktop.gui.dialogs.first_run import FirstRunChoice, FirstRunDialog
from alpr_desktop.gui.dialogs.new_store import (
    NewStoreDialog,
    NewStoreRequest,
    RecoveryNoticeDialog,
)
from alpr_desktop.gui.dialogs.sign_in import SignInDialog
from alpr_desktop.gui.dialogs.unlock import UnlockDialog
from alpr_desktop.gui.errors import explain, show_error
from alpr_desktop.gui.main_window import MainWindow, StoreInfo
from alpr_desktop.gui.review.flow import is_extract, start_review
from alpr_desktop.gui.workers import Cancelled, TaskHandle, run_task
from alpr_desktop.services import store_files, stores, witness, workstation
from alpr_desktop.services.failures import WrongPassphrase
from alpr_desktop.services.store_files import STORE_SUFFIX
from alpr_desktop.services.workstation import OpenStore

log = logging.getLogger(__name__)

LAST_STORE_KEY = "store/last_path"
STORE_FILTER = (f"ALPR stores and review extracts (*{STORE_SUFFIX} *{EXTRACT_SUFFIX});;"
                "All files (*)")


class Asker(Protocol):
    """File choosers, injectable so tests never meet a native, blocking file dialog."""

    def open_path(self, parent: QWidget) -> Path | None: ...

    def save_path(self, parent: QWidget, suggested: Path) -> Path | None: ...


class FileDialogAsker:
    def open_path(self, parent: QWidget) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Open Store", str(paths.data_dir()), STORE_FILTER
        )
        return Path(name) if name else None

    def save_path(self, parent: QWidget, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "New Store", str(suggested), STORE_FILTER)
        return Path(name) if name else None


# -- worker functions (run on a pool thread; the services open their own connection) ---------
@dataclass
class Opened:
    """A store opened by signing in, with its session."""

    store: OpenStore
    session: Session

    @property
    def info(self) -> StoreInfo:
        return self.store.description


def inspect_store(path: Path) -> store_files.DoorInfo:
    return store_files.inspect(path)


def sign_in_to_store(path: Path, username: str, password: str,
                     progress: Callable[[int, int], object] | None = None) -> Opened:
    """Sign in (which opens the store), then hold its log against the witness.
    ``progress(done, total)`` hears of each migration the store applies on the way."""
    with store_files.telling_migrations(progress):
        return Opened(*store_files.sign_in(path, username, password))


def recover_with_passphrase(path: Path, passphrase: str,
                            progress: Callable[[int, int], object] | None = None
                            ) -> OpenStore:
    with store_files.telling_migrations(progress):
        return store_files.recover(path, passphrase)


def create_store(request: NewStoreRequest) -> OpenStore:
    return store_files.create(request.path, request.passphrase, remember=request.remember)


build_and_unlock_demo = store_files.build_demo


def close_with_witness(store: OpenStore) -> None:
    """Move the witness on and close the session's connection, on a worker: a witness
    problem never stops a close."""
    try:
        workstation.advance_witness(store)
    except Exception as exc:
        log.warning("log witness not advanced: %s", exc)
    finally:
        store.close()


def next_free_store_path() -> Path:
    """The default location for a new store, numbered when the default name is taken."""
    base = paths.default_store_path()
    candidate, n = base, 1
    while candidate.exists() or store_files.key_file_exists(candidate):
        n += 1
        candidate = base.with_name(f"{base.stem}-{n}{base.suffix}")
    return candidate


class Shell(QObject):
    """Owns the session's store connection and the dialogs that lead to it."""

    store_opened = Signal(object)  # StoreInfo, after the window shows it
    store_closed = Signal()

    def __init__(
        self,
        window: MainWindow,
        settings: QSettings,
        *,
        asker: Asker | None = None,
        demo_task: Callable[..., Path | OpenStore] = build_and_unlock_demo,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.asker: Asker = asker or FileDialogAsker()
        self.demo_task = demo_task
        self.store: OpenStore | None = None
        self.info: StoreInfo | None = None
        self.dialog: QWidget | None = None  # the dialog the flow is waiting on, for tests
        self._tasks: set[TaskHandle] = set()
        self._session: Session | None = None
        window.open_requested.connect(self.choose_and_open)
        window.new_requested.connect(lambda: self.new_store())
        window.close_requested.connect(self.close_store)
        self.witness_timer = QTimer(self)  # the log witness moves on every few minutes
        self.witness_timer.setInterval(witness.ADVANCE_EVERY_MS)
        self.witness_timer.timeout.connect(self.advance_witness)

    # -- entry point ---------------------------------------------------------------------
    def start(self, store: Path | None = None, demo: bool = False) -> None:
        """``--demo`` → the demo store; ``--store`` → that file; else the last store used;
        else the first-run dialog. A failed or cancelled start falls back to first-run."""
        self.window.show()
        if demo:
            self.open_demo(fallback=self.first_run)
        elif store is not None:
            self.open_path(store, fallback=self.first_run)
        elif (last := self.last_store()) is not None:
            self.open_path(last, fallback=self.first_run)
        else:
            self.first_run()

    def last_store(self) -> Path | None:
        value = self.settings.value(LAST_STORE_KEY)
        if not value:
            return None
        path = Path(str(value))
        return path if path.is_file() else None

    # -- first run -----------------------------------------------------------------------
    def first_run(self) -> FirstRunDialog:
        dialog = FirstRunDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._first_run_chosen)
        self._show(dialog)
        return dialog

    def _first_run_chosen(self, choice: FirstRunChoice) -> None:
        if choice is FirstRunChoice.CREATE:
            self.new_store(fallback=self.first_run)
        elif choice is FirstRunChoice.OPEN:
            self.choose_and_open(fallback=self.first_run)
        elif choice is FirstRunChoice.DEMO:
            self.open_demo(fallback=self.first_run)
        else:
            self.window.close()

    # -- opening -------------------------------------------------------------------------
    def choose_and_open(self, fallback: Callable[[], object] | None = None) -> None:
        path = self.asker.open_path(self.window)
        if path is None:
            if fallback:
                fallback()
            return
        self.open_path(path, fallback=fallback)

    def open_path(self, path: Path | str, fallback: Callable[[], object] | None = None) -> None:
        """Check the files, then ask who is signing in: that opens the store."""
        path = Path(path).expanduser()
        if is_extract(path):  # an offline review extract opens in review mode (issue 15)
            review = start_review(path, self.window)
            if fallback is not None:
                review.rejected.connect(fallback)
            return
        self.window.statusBar().showMessage(f"Opening {path.name}…")

        def failed(exc: BaseException) -> None:
            self.window.statusBar().clearMessage()
            self._fail(exc, fallback)

        def checked(door: store_files.DoorInfo) -> None:
            self.window.statusBar().clearMessage()
            self.sign_in_to(door, fallback)

        self._run(inspect_store, path, on_result=checked, on_error=failed)

    def sign_in_to(
        self, door: store_files.DoorInfo, fallback: Callable[[], object] | None = None
    ) -> SignInDialog:
        """The sign-in dialog for a shut store: banner, then username and password, which
        open the store; the recovery passphrase is one button away."""
        path = door.path
        state = {"recovering": False}
        dialog: SignInDialog

        def submit(username: str, password: str, ok: Callable[[object], None],
                   err: Callable[[BaseException], None]) -> None:
            def failed(exc: BaseException) -> None:
                if isinstance(exc, stores.RecoveryRequired):
                    dialog.require_recovery(str(exc))
                elif isinstance(exc, AccessError):
                    err(exc)
                else:
                    dialog.finish_failed()
                    self._fail(exc, fallback)

            self._run(sign_in_to_store, path, username, password, on_result=ok, on_error=failed,
                      on_progress=dialog.show_updating)

        dialog = SignInDialog(self.window, context=f"Store: {path.name}", submit=submit,
                              offer_recovery=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def signed_in(opened: Opened) -> None:
            self._adopt(opened.store, opened.session)

        def recovery() -> None:
            state["recovering"] = True
            dialog.reject()
            self._ask_passphrase(path, fallback)

        def rejected() -> None:
            if not state["recovering"] and fallback is not None:
                fallback()

        dialog.signed_in.connect(signed_in)
        dialog.recovery_requested.connect(recovery)
        dialog.rejected.connect(rejected)
        if door.door is store_files.Door.RECOVERY:
            dialog.require_recovery(door.reason)
        self._show(dialog)
        return dialog

    def _ask_passphrase(self, path: Path, fallback: Callable[[], object] | None) -> None:
        dialog = UnlockDialog(self.window, path)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.ui.rememberCheck.hide()  # the service decides: a secret only in a real keyring

        def submitted(passphrase: str, _remember: bool) -> None:
            def failed(exc: BaseException) -> None:
                if isinstance(exc, WrongPassphrase):
                    ex = explain(exc)
                    dialog.show_wrong(f"{ex.sentence} {ex.advice}")
                else:
                    dialog.finish_failed()
                    self._fail(exc, fallback)

            def done(result: OpenStore) -> None:
                dialog.finish_ok()
                self._adopt(result)

            self._run(recover_with_passphrase, path, passphrase, on_result=done,
                      on_error=failed, on_progress=dialog.show_updating)

        dialog.submitted.connect(submitted)
        if fallback is not None:
            dialog.rejected.connect(fallback)
        self._show(dialog)

    # -- creating ------------------------------------------------------------------------
    def new_store(self, fallback: Callable[[], object] | None = None) -> NewStoreDialog:
        dialog = NewStoreDialog(self.window, next_free_store_path(), self.asker.save_path)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def submitted(request: NewStoreRequest) -> None:
            def done(result: OpenStore) -> None:
                dialog.finish_ok()
                self._adopt(result)
                notice = RecoveryNoticeDialog(self.window, request.path.name, request.passphrase)
                notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self._show(notice)

            self._run(
                create_store,
                request,
                on_result=done,
                on_error=lambda exc: dialog.show_failure(explain(exc)),
            )

        dialog.submitted.connect(submitted)
        if fallback is not None:
            dialog.rejected.connect(fallback)
        self._show(dialog)
        return dialog

    # -- demo ----------------------------------------------------------------------------
    def open_demo(self, fallback: Callable[[], object] | None = None) -> None:
        """Build the demo store on first use (with progress and Cancel), then open it."""
        progress = QProgressDialog(
            "Preparing the demo store (synthetic reads and images)…", "&Cancel", 0, 0, self.window
        )
        progress.setWindowTitle("Demo Store")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        state = {"finished": False}

        def on_progress(done: int, total: int) -> None:
            if state["finished"]:
                return
            if total > 0:
                progress.setMaximum(total)
                progress.setValue(min(done, total))
                progress.setLabelText(f"Building the demo store: {done:,} of {total:,} reads…")

        def finish() -> None:
            state["finished"] = True
            progress.canceled.disconnect()
            progress.close()
            progress.deleteLater()

        def done(result: Path | OpenStore) -> None:
            finish()
            if isinstance(result, Path):
                self.open_path(result, fallback=fallback)
                return
            self._adopt(result)
            if result.description.is_demo:
                self.window.statusBar().showMessage(
                    "This computer has no usable keyring: the demo store was opened with its "
                    "published recovery passphrase. Sign in with a demo account.", 15_000)

        def failed(exc: BaseException) -> None:
            finish()
            if isinstance(exc, Cancelled):
                self.window.statusBar().showMessage("Building the demo store was cancelled.", 8000)
                if fallback is not None:
                    fallback()
            else:
                self._fail(exc, fallback)

        handle = self._run(self.demo_task, on_result=done, on_error=failed, on_progress=on_progress)
        progress.canceled.connect(handle.cancel)
        self.dialog = progress

    # -- closing -------------------------------------------------------------------------
    def advance_witness(self) -> None:
        if self.store is not None:
            self._run(workstation.advance_witness, self.store, on_result=lambda _r: None,
                      on_error=lambda exc: log.warning("log witness not advanced: %s", exc))

    def _close_current(self) -> None:
        """Move the witness on and close the session's connection, on a worker."""
        self.witness_timer.stop()
        store, self.store = self.store, None
        if store is not None:
            self._run(close_with_witness, store, on_result=lambda _r: None,
                      on_error=lambda exc: log.warning("store not closed cleanly: %s", exc))

    def close_store(self) -> None:
        self._close_current()
        self.info = None
        self.window.show_store(None)
        self.store_closed.emit()

    def shutdown(self) -> None:
        """On quit: stop workers, close the session's connection on one, wait for them."""
        for handle in list(self._tasks):
            handle.cancel()
        self._close_current()
        QThreadPool.globalInstance().waitForDone(10_000)

    @property
    def busy(self) -> bool:
        """Whether work of the shell (opening, closing, the witness) is still running."""
        return bool(self._tasks)

    # -- helpers -------------------------------------------------------------------------
    def take_session(self) -> Session | None:
        """The session that came with the store just opened (signing in opened it), once."""
        session, self._session = self._session, None
        return session

    def _adopt(self, store: OpenStore, session: Session | None = None) -> None:
        info = store.description
        self._close_current()
        self.store, self.info = store, info
        self._session = session
        if not info.is_demo:  # a plain start should not land a real user in the demo store
            self.settings.setValue(LAST_STORE_KEY, str(info.path))
            self.settings.sync()
        self.window.statusBar().clearMessage()
        self.window.show_store(info)
        self.witness_timer.start()
        self.store_opened.emit(info)
        if info.witness_warning:
            self._warn_witness(info.witness_warning)

    def _warn_witness(self, sentence: str) -> QMessageBox:
        """The store's log is not what this workstation last saw: say so plainly (it is
        already in the log) without blocking."""
        self.window.statusBar().showMessage(sentence)
        box = QMessageBox(QMessageBox.Icon.Warning, "Access Log Rolled Back or Rewritten",
                          sentence, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("witnessWarning")
        box.setInformativeText(
            "This was recorded in the access log. Tell the custodian: verifying the log "
            "against the City's newest checkpoint shows what is missing. Preserve the store "
            "file as it is.")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.witness_box = box
        return box

    def _fail(self, exc: BaseException, fallback: Callable[[], object] | None) -> QMessageBox:
        box = show_error(self.window, exc, title="Cannot Open the Store")
        if fallback is not None:
            box.finished.connect(lambda _r: fallback())
        self.dialog = box
        return box

    def _show(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _run(self, fn: Callable[..., object], *args: object, **kw: object) -> TaskHandle:
        on_result = kw.pop("on_result")
        on_error = kw.pop("on_error")
        handle: TaskHandle

        def result(value: object) -> None:
            self._tasks.discard(handle)
            on_result(value)  # type: ignore[operator]

        def error(exc: BaseException) -> None:
            self._tasks.discard(handle)
            on_error(exc)  # type: ignore[operator]

        handle = run_task(fn, *args, on_result=result, on_error=error, **kw)  # type: ignore[arg-type]
        self._tasks.add(handle)
        return handle
