"""Change password: by choice (Session menu) or forced after an administrator's reset.

The service checks the old password (failures count toward the lockout) and the rules; the
dialog only checks that the two new entries match. Every field is cleared after each try.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

from alpr_desktop.gui.dialogs.sign_in import failure_sentence
from alpr_desktop.gui.forms.ui_change_password import Ui_ChangePasswordDialog
from alpr_desktop.gui.session_controller import SessionController

FORCED_REASON = (
    "An administrator reset your password. Choose a new one before you continue; until then "
    "the program refuses everything else. Cancel signs you out."
)
CHOSEN_REASON = "Enter your current password, then the new one twice."


class ChangePasswordDialog(QDialog):
    changed = Signal(object)  # the updated Session

    def __init__(
        self, parent: QWidget | None, controller: SessionController, *, forced: bool = False
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ChangePasswordDialog()
        self.ui.setupUi(self)
        self.controller = controller
        self.forced = forced
        self._busy = False
        self.ui.reasonLabel.setText(FORCED_REASON if forced else CHOSEN_REASON)
        if forced:
            self.setWindowTitle("Choose a New Password")
            self.ui.currentLabel.setText("&Temporary password:")
            cancel = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText("Sign &Out")
        self.ui.errorLabel.hide()
        self.ok_button.setText("&Change Password")
        self.ok_button.setDefault(True)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.currentEdit.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _clear(self) -> None:
        for edit in (self.ui.currentEdit, self.ui.newEdit, self.ui.confirmEdit):
            edit.clear()

    def _submit(self) -> None:
        if self._busy:
            return
        old, new, confirm = (
            self.ui.currentEdit.text(), self.ui.newEdit.text(), self.ui.confirmEdit.text()
        )
        self._clear()
        if not old or not new:
            self.show_failure("Enter the current password and the new one.")
            return
        if new != confirm:
            self.show_failure("The new password and its confirmation are not the same.")
            return
        self.set_busy(True)
        self.controller.change_password(old, new, self._done, self._failed)

    def _done(self, session: object) -> None:
        self.set_busy(False)
        self.accept()
        self.changed.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.show_failure(failure_sentence(exc))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.ui.currentEdit, self.ui.newEdit, self.ui.confirmEdit, self.ui.buttonBox):
            w.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_failure(self, sentence: str) -> None:
        self.set_busy(False)
        self._clear()
        self.ui.errorLabel.setText(sentence)
        self.ui.errorLabel.show()
        self.ui.currentEdit.setFocus()

    def reject(self) -> None:
        if self._busy:
            return
        self._clear()
        super().reject()
