"""Create a store: location and a recovery passphrase typed twice, then shown once to write
down. The dialog only validates and collects; the shell creates the store on a worker (scrypt
is slow on purpose) and reports back with ``finish_ok`` or ``show_failure``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui.errors import Explanation
from alpr_desktop.gui.forms.ui_new_store import Ui_NewStoreDialog
from alpr_desktop.services import store_files
from alpr_desktop.services.failures import WeakPassphrase
from alpr_desktop.services.store_files import STORE_SUFFIX

AskSavePath = Callable[[QWidget, Path], "Path | None"]


@dataclass(frozen=True)
class NewStoreRequest:
    path: Path
    passphrase: str = field(repr=False)
    remember: bool


def normalize_location(text: str) -> Path | None:
    """The store path the user meant: ``~`` expanded, ``.alprdb`` added when missing."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if path.suffix.lower() != STORE_SUFFIX:
        path = path.with_name(path.name + STORE_SUFFIX)
    return path


class NewStoreDialog(QDialog):
    """Collects a valid :class:`NewStoreRequest`; refuses bad input with a sentence in red."""

    submitted = Signal(object)  # NewStoreRequest

    def __init__(
        self,
        parent: QWidget | None,
        default_path: Path,
        ask_save_path: AskSavePath | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_NewStoreDialog()
        self.ui.setupUi(self)
        self._ask_save_path = ask_save_path
        self._busy = False
        self.ui.locationEdit.setText(str(default_path))
        self.ui.errorLabel.hide()
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Create Store")
        ok.setDefault(True)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.browseButton.setEnabled(ask_save_path is not None)
        self.ui.passphraseEdit.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _browse(self) -> None:
        if self._ask_save_path is None:
            return
        current = normalize_location(self.ui.locationEdit.text()) or Path.home()
        chosen = self._ask_save_path(self, current)
        if chosen is not None:
            self.ui.locationEdit.setText(str(normalize_location(str(chosen))))

    def validate(self) -> NewStoreRequest | str:
        """The request, or the sentence that says what is wrong. Nothing is created here."""
        path = normalize_location(self.ui.locationEdit.text())
        if path is None:
            return "Choose where to create the store."
        if path.exists():
            return f"{path.name} already exists in that folder; choose another name."
        if store_files.key_file_exists(path):
            return f"A key file for {path.name} already exists there; choose another name."
        if path.parent.exists() and not path.parent.is_dir():
            return f"{path.parent} is a file, not a folder."
        passphrase = self.ui.passphraseEdit.text()
        if passphrase != self.ui.confirmEdit.text():
            return "The two passphrases are not the same; type them again."
        try:
            store_files.check_passphrase(passphrase)
        except WeakPassphrase as exc:
            return str(exc)
        if not passphrase.strip():
            return "The recovery passphrase cannot be only spaces."
        return NewStoreRequest(path, passphrase, self.ui.rememberCheck.isChecked())

    def _submit(self) -> None:
        if self._busy:
            return
        result = self.validate()
        if isinstance(result, str):
            self._clear_passphrases()
            self._show_error_text(result)
            self.ui.passphraseEdit.setFocus()
            return
        self.ui.errorLabel.hide()
        self.set_busy(True)
        self.submitted.emit(result)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (
            self.ui.locationEdit,
            self.ui.browseButton,
            self.ui.passphraseEdit,
            self.ui.confirmEdit,
            self.ui.rememberCheck,
            self.ui.buttonBox,
        ):
            w.setEnabled(not busy and (w is not self.ui.browseButton or bool(self._ask_save_path)))
        self.ok_button.setText("Creating…" if busy else "&Create Store")
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_failure(self, ex: Explanation) -> None:
        """Creation failed (nothing was left behind): say why and let the user fix it."""
        self.set_busy(False)
        self._clear_passphrases()
        self._show_error_text(f"{ex.sentence} {ex.advice}")

    def finish_ok(self) -> None:
        self._busy = False
        self._clear_passphrases()
        self.accept()

    def reject(self) -> None:
        if self._busy:  # the worker is creating the store; closing now would orphan it
            return
        self._clear_passphrases()
        super().reject()

    def _show_error_text(self, text: str) -> None:
        self.ui.errorLabel.setText(text)
        self.ui.errorLabel.show()

    def _clear_passphrases(self) -> None:
        self.ui.passphraseEdit.clear()
        self.ui.confirmEdit.clear()


class RecoveryNoticeDialog(QDialog):
    """Shows the recovery passphrase once, with advice to write it down; forgets it on close."""

    def __init__(self, parent: QWidget | None, store_name: str, passphrase: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Write Down the Recovery Passphrase")
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The store {store_name} was created. This is its recovery passphrase; it is shown "
            "only this once:"
        )
        intro.setWordWrap(True)
        self.passphraseLabel = QLabel(passphrase)
        self.passphraseLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.passphraseLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.3)
        mono.setWeight(QFont.Weight.Bold)
        self.passphraseLabel.setFont(mono)
        self.passphraseLabel.setStyleSheet("padding: 8px; border: 1px solid palette(mid);")
        advice = QLabel(
            "Write it down on paper and keep it somewhere safe, away from this computer. "
            "You need it to open the store on another computer, or here if the keyring is "
            "lost. Nobody, including the program's makers, can recover it for you. "
            "Keep the key file (the store's name followed by .key) with every copy of the store."
        )
        advice.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        done = buttons.addButton("I Have &Written It Down", QDialogButtonBox.ButtonRole.AcceptRole)
        done.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(intro)
        layout.addWidget(self.passphraseLabel)
        layout.addWidget(advice)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        self.finished.connect(lambda _r: self.passphraseLabel.clear())
