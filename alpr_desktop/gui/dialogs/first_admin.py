"""First run of a store: create the first administrator (the store has no accounts yet).

The administrator then creates everyone else on the Accounts screen. The service refuses once
any account exists, so this dialog cannot be used to add a second administrator.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui.dialogs.sign_in import failure_sentence
from alpr_desktop.gui.session_controller import SessionController

INTRO = (
    "<h3>Create the first administrator</h3>"
    "<p>This store has no accounts yet. The administrator manages accounts and security "
    "settings; an administrator cannot search reads or view images. Sign in with this "
    "account next, then create the analysts', custodian's and contractor's accounts.</p>"
)


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    return edit


class FirstAdminDialog(QDialog):
    created = Signal(object)  # Account

    def __init__(self, parent: QWidget | None, controller: SessionController) -> None:
        super().__init__(parent)
        self.controller = controller
        self._busy = False
        self.setWindowTitle("First Administrator")
        self.setModal(True)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.usernameEdit = QLineEdit()
        self.usernameEdit.setMaxLength(64)
        self.fullNameEdit = QLineEdit()
        self.organizationEdit = QLineEdit("City of Carson")
        self.passwordEdit = _password_edit()
        self.confirmEdit = _password_edit()
        form = QFormLayout()
        for text, edit in (
            ("&Username:", self.usernameEdit), ("&Full name:", self.fullNameEdit),
            ("&Organization:", self.organizationEdit), ("&Password:", self.passwordEdit),
            ("Con&firm password:", self.confirmEdit),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
        rules = QLabel("The password needs at least 12 characters and must not be a common "
                       "password or contain the username.")
        rules.setWordWrap(True)
        self.errorLabel = QLabel()
        self.errorLabel.setStyleSheet("color: #b00020; font-weight: bold;")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.errorLabel.hide()
        self.buttonBox = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText("&Create Administrator")
        self.ok_button.setDefault(True)
        self.buttonBox.accepted.connect(self._submit)
        self.buttonBox.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttonBox)
        self.usernameEdit.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _submit(self) -> None:
        if self._busy:
            return
        password, confirm = self.passwordEdit.text(), self.confirmEdit.text()
        self.passwordEdit.clear()
        self.confirmEdit.clear()
        if password != confirm:
            self.show_failure("The password and its confirmation are not the same.")
            return
        self._set_busy(True)
        self.controller.create_first_admin(
            self.usernameEdit.text(), self.fullNameEdit.text(), self.organizationEdit.text(),
            password, self._done, lambda exc: self.show_failure(failure_sentence(exc)),
        )

    def _done(self, account: object) -> None:
        self._set_busy(False)
        self.accept()
        self.created.emit(account)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.usernameEdit, self.fullNameEdit, self.organizationEdit,
                  self.passwordEdit, self.confirmEdit, self.buttonBox):
            w.setEnabled(not busy)

    def show_failure(self, sentence: str) -> None:
        self._set_busy(False)
        self.errorLabel.setText(sentence)
        self.errorLabel.show()

    def reject(self) -> None:
        if not self._busy:
            self.passwordEdit.clear()
            self.confirmEdit.clear()
            super().reject()
