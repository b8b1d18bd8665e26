"""What the window shows while the session is locked: who locked it, and nothing else.

Only the same user's password unlocks (failures count toward the account lockout). "Sign in
as another user" opens the sign-in dialog; a successful sign-in there ends the locked session.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui import palette
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.dialogs.sign_in import failure_sentence
from alpr_desktop.gui.layout import centre_column
from alpr_desktop.gui.session_controller import SessionController


class LockScreen(QWidget):
    other_user_requested = Signal()

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._busy = False
        heading = QLabel("<h2>Session locked</h2>")
        self.whoLabel = QLabel()
        self.whoLabel.setWordWrap(True)
        self.whoLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.passwordEdit = QLineEdit()
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passwordEdit.setMaxLength(256)
        self.passwordEdit.returnPressed.connect(self.unlock)
        label = QLabel("&Password:")
        label.setBuddy(self.passwordEdit)
        form = QFormLayout()
        form.addRow(label, self.passwordEdit)
        self.unlockButton = QPushButton("&Unlock")
        self.unlockButton.setDefault(True)
        self.unlockButton.clicked.connect(self.unlock)
        self.otherButton = QPushButton("Sign In as &Another User…")
        self.otherButton.clicked.connect(self.other_user_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlockButton)
        buttons.addWidget(self.otherButton)
        buttons.addStretch(1)
        self.errorLabel = QLabel()
        self.errorLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT, bold=True))
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)
        inner = QVBoxLayout()
        inner.addWidget(heading)
        inner.addWidget(self.whoLabel)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.errorLabel)
        centre_column(self, inner, 520)
        name_controls(self)

    def prepare(self) -> None:
        """Show who is locked out, with empty fields."""
        s = self.controller.session
        who = f"{s.full_name} ({s.username})" if s else "the signed-in user"
        self.whoLabel.setText(
            f"The session of {who} is locked. Nothing is shown until the same user enters "
            "their password. Your purpose and search form are kept: after unlocking, the "
            "results are fetched again (a new logged search). Signing in as another user "
            "ends this session and its purpose."
        )
        self.passwordEdit.clear()
        self.errorLabel.clear()
        self._set_busy(False)
        self.passwordEdit.setFocus()

    def unlock(self) -> None:
        if self._busy:
            return
        password = self.passwordEdit.text()
        self.passwordEdit.clear()
        if not password:
            self.errorLabel.setText("Enter your password.")
            return
        self._set_busy(True)
        self.controller.unlock(password, lambda _v: self._set_busy(False), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.errorLabel.setText(failure_sentence(exc))
        self.passwordEdit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.passwordEdit.setEnabled(not busy)
        self.unlockButton.setEnabled(not busy)
        self.unlockButton.setText("Unlocking…" if busy else "&Unlock")
