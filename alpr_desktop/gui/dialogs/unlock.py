"""Ask for the recovery passphrase when the keyring gives no key. The shell tries it on a worker
(scrypt) and calls back: ``show_wrong`` keeps the dialog open for another try."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

from alpr_desktop.core.store_format import updating_text
from alpr_desktop.gui.forms.ui_unlock import Ui_UnlockDialog


class UnlockDialog(QDialog):
    submitted = Signal(str, bool)  # passphrase, remember in keyring
    FAILED = 2  # result code: closed by the shell after an error, neither accepted nor rejected

    def __init__(self, parent: QWidget | None, store_path: Path) -> None:
        super().__init__(parent)
        self.ui = Ui_UnlockDialog()
        self.ui.setupUi(self)
        self.store_path = store_path
        self._busy = False
        self.ui.storeLabel.setText(f"Store: {store_path.name}\nFolder: {store_path.parent}")
        self.ui.storeLabel.setToolTip(str(store_path))
        self.ui.errorLabel.hide()
        self.ok_button.setText("&Unlock")
        self.ok_button.setDefault(True)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.passphraseEdit.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _submit(self) -> None:
        if self._busy:
            return
        passphrase = self.ui.passphraseEdit.text()
        if not passphrase:
            self.show_wrong("Enter the recovery passphrase.")
            return
        self.ui.passphraseEdit.clear()  # the worker has its own copy; the widget forgets it
        self.set_busy(True)
        self.submitted.emit(passphrase, self.ui.rememberCheck.isChecked())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.passphraseEdit.setEnabled(not busy)
        self.ui.rememberCheck.setEnabled(not busy)
        self.ui.buttonBox.setEnabled(not busy)
        self.ok_button.setText("Unlocking…" if busy else "&Unlock")
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_updating(self, done: int, total: int) -> None:
        """The store is applying this version's changes to itself on the way in: say so."""
        if self._busy:
            self.ok_button.setText(updating_text(done, total))

    def show_wrong(self, sentence: str) -> None:
        """The passphrase did not unlock: say so and let the user try again."""
        self.set_busy(False)
        self.ui.passphraseEdit.clear()
        self.ui.errorLabel.setText(sentence)
        self.ui.errorLabel.show()
        self.ui.passphraseEdit.setFocus()

    def finish_ok(self) -> None:
        self._busy = False
        self.accept()

    def finish_failed(self) -> None:
        """A failure the passphrase cannot fix (damaged file, …): the shell explains it."""
        self._busy = False
        self.done(self.FAILED)

    def reject(self) -> None:
        if self._busy:
            return
        self.ui.passphraseEdit.clear()
        super().reject()
