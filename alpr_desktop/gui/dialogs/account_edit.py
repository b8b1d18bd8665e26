"""Create or edit an account, and reset a password (admin screen).

The dialogs collect values and run the service call themselves on a worker, staying open with
the service's sentence when it refuses (separation of duties, sworn analyst, password rules),
so nothing is half-saved and the admin can correct and retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.accounts import Account
from alpr_desktop.core.roles import Role
from alpr_desktop.gui import palette
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.sign_in import failure_sentence

ROLE_HELP = {
    Role.ANALYST: "searches reads and views images (sworn, with badge number)",
    Role.CUSTODIAN: "audit report and contractor permissions; no searches",
    Role.CONTRACTOR: "maintenance; data only under written permission",
    Role.ADMIN: "accounts and security settings; no data",
}


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(256)
    return edit


def labelled_form(rows: Iterable[tuple[str, QWidget]]) -> QFormLayout:
    """A form whose labels' mnemonics move the focus to their fields."""
    form = QFormLayout()
    for text, edit in rows:
        label = QLabel(text)
        label.setBuddy(edit)
        form.addRow(label, edit)
    return form


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(palette.text_style(palette.ERROR_TEXT, bold=True))
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


class _ServiceDialog(QDialog):
    """A dialog whose OK runs one service call; it closes only when the call succeeds."""

    saved = Signal(object)

    def __init__(self, parent: QWidget | None, controller: Controller) -> None:
        super().__init__(parent)
        self.controller = controller
        self._busy = False
        self.setModal(True)
        self.errorLabel = error_label()
        self.buttonBox = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setDefault(True)
        self.buttonBox.accepted.connect(self._submit)
        self.buttonBox.rejected.connect(self.reject)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _lay_out(self, *parts: QWidget | QLayout, ok_text: str) -> None:
        """Stack ``parts``, then the error line and the buttons; name the OK button."""
        layout = QVBoxLayout(self)
        # Wrapped labels (the intro, the error) need their height for the dialog's width:
        # never narrower than a readable line, never shorter than the text (fit_height).
        self.setMinimumWidth(min(self.fontMetrics().averageCharWidth() * 64, 900))
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttonBox)
        self.ok_button.setText(ok_text)

    def work(self) -> Callable[[Any, Any], Any] | None:
        """The service call to run, or None after showing what is wrong."""
        raise NotImplementedError

    def _submit(self) -> None:
        if self._busy:
            return
        work = self.work()
        if work is None:
            return
        self._set_busy(True)
        self.controller.run(work, self._done, self._failed)

    def _done(self, value: object) -> None:
        self._set_busy(False)
        for edit in self.findChildren(QLineEdit):  # the passwords go once they are used
            if edit.echoMode() == QLineEdit.EchoMode.Password:
                edit.clear()
        self.accept()
        self.saved.emit(value)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_failure(failure_sentence(exc))

    def show_failure(self, sentence: str) -> None:
        self.errorLabel.setText(sentence)
        self.errorLabel.show()
        self.fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to the height the wrapped text needs at the current width (no clipping)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttonBox.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def _take_password(self, edit: QLineEdit, confirm_edit: QLineEdit) -> str | None:
        """The password typed twice, or None after saying that the two differ. The fields keep
        their text after a refusal, so the admin corrects rather than retypes; they are
        cleared when the dialog succeeds."""
        password, confirm = edit.text(), confirm_edit.text()
        if password != confirm:
            self.show_failure("The password and its confirmation are not the same.")
            confirm_edit.setFocus()
            confirm_edit.selectAll()
            return None
        return password


class AccountEditDialog(_ServiceDialog):
    """New account (``account`` None) or edit of an existing one."""

    def __init__(
        self, parent: QWidget | None, controller: Controller, account: Account | None
    ) -> None:
        super().__init__(parent, controller)
        self.account = account
        creating = account is None
        self.setWindowTitle("New Account" if account is None
                            else f"Edit Account {account.username}")
        self.usernameEdit = QLineEdit(account.username if account else "")
        self.usernameEdit.setMaxLength(64)
        self.usernameEdit.setReadOnly(not creating)
        self.fullNameEdit = QLineEdit(account.full_name if account else "")
        self.organizationEdit = QLineEdit(account.organization if account else "")
        self.badgeEdit = QLineEdit(account.badge_number if account else "")
        self.swornCheck = QCheckBox("&Sworn officer")
        self.swornCheck.setChecked(bool(account and account.sworn))
        form = labelled_form((
            ("&Username:", self.usernameEdit), ("&Full name:", self.fullNameEdit),
            ("&Organization:", self.organizationEdit), ("&Badge number:", self.badgeEdit),
        ))
        form.addRow("", self.swornCheck)
        roles_box = QGroupBox("Roles")
        roles_layout = QVBoxLayout(roles_box)
        self.roleChecks: dict[Role, QCheckBox] = {}
        for role in Role:
            check = QCheckBox(f"{role.label} — {ROLE_HELP[role]}")
            check.setChecked(bool(account and role in account.roles))
            roles_layout.addWidget(check)
            self.roleChecks[role] = check
        self.passwordEdit = password_edit()
        self.confirmEdit = password_edit()
        duties = QLabel("Separation of duties: an administrator is never also custodian or "
                        "analyst, and a custodian approves every new analyst or custodian and "
                        "every change adding those roles before it takes effect.")
        duties.setWordWrap(True)
        roles_layout.addWidget(duties)
        parts: list[QWidget | QLayout] = [form, roles_box]
        if creating:
            note = QLabel("The user must change this password at the first sign-in.")
            note.setWordWrap(True)
            parts += [labelled_form((("Initial &password:", self.passwordEdit),
                                     ("Con&firm password:", self.confirmEdit))), note]
        self._lay_out(*parts, ok_text="&Create Account" if creating else "&Save")
        (self.usernameEdit if creating else self.fullNameEdit).setFocus()

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, c in self.roleChecks.items() if c.isChecked())

    def work(self) -> Callable[[Any, Any], Any] | None:
        values = {
            "full_name": self.fullNameEdit.text(),
            "organization": self.organizationEdit.text(),
            "badge_number": self.badgeEdit.text(),
            "sworn": self.swornCheck.isChecked(),
            "roles": self.roles(),
        }
        if self.account is not None:
            username = self.account.username
            return lambda s, ctx: s.accounts.update_account(ctx, username, **values)
        password = self._take_password(self.passwordEdit, self.confirmEdit)
        if password is None:
            return None
        username = self.usernameEdit.text()
        return lambda s, ctx: s.accounts.create_account(
            ctx, username=username, initial_password=password, **values
        )


class ResetPasswordDialog(_ServiceDialog):
    """Set a temporary password; the user must change it at the next sign-in."""

    def __init__(
        self, parent: QWidget | None, controller: Controller, account: Account
    ) -> None:
        super().__init__(parent, controller)
        self.account = account
        self.setWindowTitle(f"Reset Password of {account.username}")
        intro = QLabel(
            f"Set a temporary password for {account.full_name} ({account.username}). Give it "
            "to them in person; they must choose a new one when they next sign in. This also "
            "releases a lockout."
        )
        intro.setWordWrap(True)
        self.passwordEdit = password_edit()
        self.confirmEdit = password_edit()
        form = labelled_form((("&Temporary password:", self.passwordEdit),
                              ("Con&firm password:", self.confirmEdit)))
        self._lay_out(intro, form, ok_text="&Reset Password")
        self.passwordEdit.setFocus()

    def work(self) -> Callable[[Any, Any], Any] | None:
        password = self._take_password(self.passwordEdit, self.confirmEdit)
        if password is None:
            return None
        username = self.account.username
        return lambda s, ctx: s.accounts.reset_password(ctx, username, password)
