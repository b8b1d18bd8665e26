"""Sign-in: the system-use banner first (CJIS 5.5.4), then username and password.

The credentials page is disabled and not shown until the banner is acknowledged, so neither
a click nor the keyboard can reach it before. The service checks the password on a worker
(scrypt or PBKDF2); its refusal is shown as it is, which is the same sentence for an unknown
username, a wrong password and a disabled account, so the dialog reveals nothing about who
exists.

Two uses: signing in to an open store (through the session controller), and signing in to a
shut store, which is what opens it (the shell passes ``submit``; services/signin.py). The
latter offers the recovery passphrase; where only the passphrase can open the store on this
machine, the dialog says why and the passphrase is the way on.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

from alpr_desktop.core.store_format import updating_text
from alpr_desktop.gui.access_feedback import explain_access
from alpr_desktop.gui.errors import explain
from alpr_desktop.gui.forms.ui_sign_in import Ui_SignInDialog
from alpr_desktop.gui.session_controller import SessionController

# submit(username, password, on_result, on_error): starts the work, answers on the GUI thread
Submit = Callable[[str, str, Callable[[object], None], Callable[[BaseException], None]], object]


def banner_text() -> str:
    """The system-use notice shipped with the program (resources/banner.txt)."""
    return resources.files("alpr_desktop").joinpath("resources/banner.txt").read_text("utf-8")


def failure_sentence(exc: BaseException) -> str:
    """What the dialog says when sign-in fails: the service's own sentence for a refusal."""
    refusal = explain_access(exc)
    if refusal is not None:
        return refusal.sentence
    ex = explain(exc)
    return f"{ex.sentence} {ex.advice}"



class SignInDialog(QDialog):
    """Emits ``signed_in(Session)`` and closes once the service accepts the credentials."""

    signed_in = Signal(object)

    recovery_requested = Signal()

    def __init__(
        self, parent: QWidget | None, controller: SessionController | None = None, *,
        context: str = "", submit: Submit | None = None, offer_recovery: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SignInDialog()
        self.ui.setupUi(self)
        self.controller = controller
        self._submit_fn: Submit | None = submit
        if submit is None and controller is None:
            raise ValueError("a sign-in dialog needs a controller or a submit function")
        self._acknowledged = False
        self._busy = False
        self._recovery_only = False
        self.recoveryButton = QPushButton("Use &Recovery Passphrase…")
        self.recoveryButton.setToolTip(
            "Open the store with its recovery passphrase: on another computer, or when no "
            "account can sign in here."
        )
        self.ui.buttonBox.addButton(self.recoveryButton, QDialogButtonBox.ButtonRole.ActionRole)
        self.recoveryButton.setVisible(offer_recovery)
        self.recoveryButton.clicked.connect(self._recovery)
        self.ui.bannerText.setPlainText(banner_text())
        self.ui.contextLabel.setText(context)
        self.ui.contextLabel.setVisible(bool(context))
        self.ui.errorLabel.hide()
        self.ui.credentialsPage.setEnabled(False)
        self.ui.pages.setCurrentWidget(self.ui.bannerPage)
        self.ok_button.setText("&Sign In")
        self.ui.acknowledgeButton.clicked.connect(self.acknowledge)
        self.ui.declineButton.clicked.connect(self.reject)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.acknowledgeButton.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def acknowledged(self) -> bool:
        return self._acknowledged

    def acknowledge(self) -> None:
        """The user accepted the banner: only now may credentials be entered."""
        self._acknowledged = True
        self.ui.acknowledgeButton.setDefault(False)
        self.ui.credentialsPage.setEnabled(True)
        self.ui.pages.setCurrentWidget(self.ui.credentialsPage)
        self.ok_button.setDefault(True)
        self.ui.usernameEdit.setFocus()
        self._apply_recovery_only()

    def _submit(self) -> None:
        if not self._acknowledged or self._busy:
            return
        username = self.ui.usernameEdit.text().strip()
        password = self.ui.passwordEdit.text()
        self.ui.passwordEdit.clear()  # the worker has its copy; the widget forgets it
        if not username or not password:
            self.show_failure("Enter your username and password.")
            return
        self.set_busy(True)
        if self._submit_fn is not None:
            self._submit_fn(username, password, self._done, self._failed)
        else:
            assert self.controller is not None
            self.controller.sign_in(username, password, self._done, self._failed)

    def _done(self, session: object) -> None:
        self.set_busy(False)
        self.accept()
        self.signed_in.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.show_failure(failure_sentence(exc))

    def _recovery(self) -> None:
        if self._busy:
            return
        self.ui.passwordEdit.clear()
        self.recovery_requested.emit()

    def require_recovery(self, sentence: str) -> None:
        """Only the recovery passphrase opens the store here: say why, and make it the way
        on (the account fields stay visible but disabled)."""
        self._recovery_only = True
        self.set_busy(False)
        self.recoveryButton.setVisible(True)
        self.ui.errorLabel.setText(sentence)
        self.ui.errorLabel.show()
        self._apply_recovery_only()

    def _apply_recovery_only(self) -> None:
        if not self._recovery_only:
            return
        for widget in (self.ui.usernameEdit, self.ui.passwordEdit, self.ok_button):
            widget.setEnabled(False)
        self.ok_button.setDefault(False)
        self.recoveryButton.setDefault(True)
        if self._acknowledged:
            self.recoveryButton.setFocus()

    def finish_failed(self) -> None:
        """A failure the credentials cannot fix: the shell explains it."""
        self._busy = False
        self.done(QDialog.DialogCode.Rejected)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.credentialsPage.setEnabled(not busy)
        self.ok_button.setText("Signing in…" if busy else "&Sign In")
        self._apply_recovery_only()
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_updating(self, done: int, total: int) -> None:
        """The store is applying this version's changes to itself on the way in: say so."""
        if self._busy:
            self.ok_button.setText(updating_text(done, total))

    def show_failure(self, sentence: str) -> None:
        self.set_busy(False)
        self.ui.passwordEdit.clear()
        self.ui.errorLabel.setText(sentence)
        self.ui.errorLabel.show()
        self.ui.passwordEdit.setFocus()

    def reject(self) -> None:
        if self._busy:
            return
        self.ui.passwordEdit.clear()
        super().reject()
