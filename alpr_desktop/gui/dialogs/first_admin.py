"""First run of a store: create the first administrator and the first custodian together.

Separation of duties: an administrator cannot give the custodian or analyst role alone (a
custodian approves each), so a new store starts with both, two different people. The service
refuses once any account exists, so this dialog cannot add accounts to a store in use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui.dialogs.account_edit import error_label, labelled_form, password_edit
from alpr_desktop.gui.dialogs.sign_in import failure_sentence
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.services.first_accounts import FirstAccount

INTRO = (
    "<h3>Create the first administrator and custodian</h3>"
    "<p>This store has no accounts yet. Two different people start it: the <b>administrator</b> "
    "manages accounts and security settings; the <b>custodian</b> (the City's Assistant City "
    "Manager or designee) prints the audit report and approves every analyst and custodian "
    "account the administrator creates. Neither can search reads or view images.</p>"
)


class PersonBox(QGroupBox):
    """Username, full name, organization and a password typed twice, for one person."""

    def __init__(self, title: str, mnemonics: tuple[str, str, str, str, str],
                 organization: str) -> None:
        super().__init__(title)
        u, f, o, p, c = mnemonics
        self.usernameEdit = QLineEdit()
        self.usernameEdit.setMaxLength(64)
        self.fullNameEdit = QLineEdit()
        self.organizationEdit = QLineEdit(organization)
        self.passwordEdit = password_edit()
        self.confirmEdit = password_edit()
        self.setLayout(labelled_form((
            (f"{u}:", self.usernameEdit), (f"{f}:", self.fullNameEdit),
            (f"{o}:", self.organizationEdit), (f"{p}:", self.passwordEdit),
            (f"{c}:", self.confirmEdit),
        )))

    def edits(self) -> tuple[QLineEdit, ...]:
        return (self.usernameEdit, self.fullNameEdit, self.organizationEdit,
                self.passwordEdit, self.confirmEdit)

    def take(self) -> FirstAccount | None:
        """The person's values (password fields are cleared), or None when the two password
        fields differ."""
        password, confirm = self.passwordEdit.text(), self.confirmEdit.text()
        self.passwordEdit.clear()
        self.confirmEdit.clear()
        if password != confirm:
            return None
        return FirstAccount(self.usernameEdit.text(), self.fullNameEdit.text(),
                            self.organizationEdit.text(), password)

    def clear_passwords(self) -> None:
        self.passwordEdit.clear()
        self.confirmEdit.clear()


class FirstAccountsDialog(QDialog):
    created = Signal(object)  # (admin Account, custodian Account)

    def __init__(self, parent: QWidget | None, controller: SessionController) -> None:
        super().__init__(parent)
        self.controller = controller
        self._busy = False
        self.setWindowTitle("First Administrator and Custodian")
        self.setModal(True)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        # mnemonics: each label's letter is unique across both boxes and the buttons
        self.adminBox = PersonBox("Administrator", (
            "&Username", "&Full name", "&Organization", "&Password", "&Confirm password",
        ), "City of Carson IT")
        self.custodianBox = PersonBox("Custodian (a different person)", (
            "U&sername", "Full na&me", "Or&ganization", "Pass&word", "Confi&rm password",
        ), "City of Carson")
        people = QHBoxLayout()
        people.addWidget(self.adminBox)
        people.addWidget(self.custodianBox)
        rules = QLabel("Each password needs at least 12 characters and must not be a common "
                       "password or contain the username. Each person types their own; the "
                       "two must differ. Both sign in with them next.")
        rules.setWordWrap(True)
        self.errorLabel = error_label()
        self.buttonBox = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText("Create &Both Accounts")
        self.ok_button.setDefault(True)
        self.buttonBox.accepted.connect(self._submit)
        self.buttonBox.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(people)
        layout.addWidget(rules)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttonBox)
        self.adminBox.usernameEdit.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _submit(self) -> None:
        if self._busy:
            return
        admin, custodian = self.adminBox.take(), self.custodianBox.take()
        if admin is None or custodian is None:
            who = "administrator's" if admin is None else "custodian's"
            self.show_failure(f"The {who} password and its confirmation are not the same.")
            return
        self._set_busy(True)
        self.controller.create_first_accounts(
            admin, custodian, self._done, lambda exc: self.show_failure(failure_sentence(exc)),
        )

    def _done(self, accounts: object) -> None:
        self._set_busy(False)
        self.accept()
        self.created.emit(accounts)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (*self.adminBox.edits(), *self.custodianBox.edits(), self.buttonBox):
            w.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_failure(self, sentence: str) -> None:
        self._set_busy(False)
        self.errorLabel.setText(sentence)
        self.errorLabel.show()

    def reject(self) -> None:
        if not self._busy:
            self.adminBox.clear_passwords()
            self.custodianBox.clear_passwords()
            super().reject()
