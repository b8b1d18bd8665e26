"""Unlock an extract with the passphrase printed on its release record.

The key derivation runs on a worker; a wrong passphrase, an expired extract or a file that is
not an extract is told in the dialog as a sentence, and the passphrase field keeps focus."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.extract import ExtractError
from alpr_desktop.gui import palette
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.errors import explain
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services.review_extract_mode import ReviewSession


class ReviewUnlockDialog(QDialog):
    opened = Signal(object)  # ReviewSession

    def __init__(self, path: Path, parent: QWidget | None = None, *,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Review Extract")
        self.path = Path(path)
        self.clock = clock or SystemClock()
        self.session: ReviewSession | None = None
        intro = QLabel(
            "This is an offline review extract of City of Carson ALPR reads. Type the "
            "passphrase printed on its release record. Every read you view is logged.")
        intro.setWordWrap(True)
        self.fileLabel = QLabel(self.path.name)
        self.fileLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphraseEdit = QLineEdit()
        self.passphraseEdit.setObjectName("passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphraseEdit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.errorLabel = QLabel()
        self.errorLabel.setObjectName("unlockError")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.errorLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT,
                                                         selector="QLabel"))
        self.errorLabel.hide()
        form = QFormLayout()
        form.addRow("Extract:", self.fileLabel)
        label = QLabel("&Passphrase:")
        label.setBuddy(self.passphraseEdit)
        form.addRow(label, self.passphraseEdit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)
        name_controls(self)
        self.passphraseEdit.setFocus()
        self.resize(520, self.sizeHint().height())

    def unlock(self) -> None:
        text = self.passphraseEdit.text()
        if not text.strip():
            self.show_error("Type the passphrase from the release record.")
            return
        self.buttons.setEnabled(False)
        self.errorLabel.setText("Opening…")
        self.errorLabel.show()
        run_task(ReviewSession.open, self.path, text, self.clock,
                 on_result=self._opened, on_error=self._failed)

    def _opened(self, session: ReviewSession) -> None:
        if not shiboken6.isValid(self):
            session.close()
            return
        self.session = session
        self.opened.emit(session)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.buttons.setEnabled(True)
        self.show_error(str(exc) if isinstance(exc, ExtractError) else explain(exc).sentence)

    def show_error(self, text: str) -> None:
        self.errorLabel.setText(text)
        self.errorLabel.show()
        self.passphraseEdit.setFocus()
        self.passphraseEdit.selectAll()
