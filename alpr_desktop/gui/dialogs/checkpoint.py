"""The custodian's "Issue Checkpoint…" dialog: their password (it unwraps their signing key)
and where to save the file. The dialog stays open while the checkpoint is signed on a worker,
so a wrong password is told in place and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.gui import palette

ChooseFile = Callable[[QWidget, str], str | None]
CHECKPOINT_FILTER = "Log checkpoints (*.alprcheckpoint);;All files (*)"


def choose_checkpoint_target(parent: QWidget, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save Log Checkpoint", suggested,
                                          CHECKPOINT_FILTER)
    return path or None


def choose_checkpoint_file(parent: QWidget, start: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Verify Against Checkpoint", start,
                                          CHECKPOINT_FILTER)
    return path or None


class IssueCheckpointDialog(QDialog):
    """Asks for the password and the file; ``submitted(password, path)`` when Issue is
    pressed. The owner calls ``working()``, then ``failed(sentence)`` or ``accept()``."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None, suggested: Path, *,
                 choose: ChooseFile | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Issue Log Checkpoint")
        self.setObjectName("issueCheckpointDialog")
        self._choose = choose or choose_checkpoint_target
        intro = QLabel(
            "A checkpoint records how many entries the access log has and the hash of the "
            "newest one, signed with your key. Keep the file away from this workstation (for "
            "example on the City's file server or printed): verifying against it later shows "
            "whether the log was cut short, put back from an older copy or rewritten.")
        intro.setWordWrap(True)
        self.passwordEdit = QLineEdit()
        self.passwordEdit.setObjectName("checkpointPassword")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pathEdit = QLineEdit(str(suggested))
        self.pathEdit.setObjectName("checkpointPath")
        browse = QPushButton("&Browse…")
        browse.setAutoDefault(False)  # Enter in the password field issues, never browses
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.pathEdit, 1)
        where.addWidget(browse)
        form = QFormLayout()
        pw_label = QLabel("Your &password:")
        pw_label.setBuddy(self.passwordEdit)
        file_label = QLabel("Save &as:")
        file_label.setBuddy(self.pathEdit)
        form.addRow(pw_label, self.passwordEdit)
        form.addRow(file_label, where)
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("checkpointProblem")
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT, selector="QLabel"))
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issueButton = self.buttons.addButton("&Issue Checkpoint",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.issueButton.setObjectName("issueCheckpointButton")
        self.issueButton.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problemLabel)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self.passwordEdit.setFocus()

    def _browse(self) -> None:
        chosen = self._choose(self, self.pathEdit.text())
        if chosen:
            self.pathEdit.setText(chosen)

    def _submit(self) -> None:
        password, path = self.passwordEdit.text(), self.pathEdit.text().strip()
        if not password:
            self.failed("Enter your password: it unlocks your signing key.")
            return
        if not path:
            self.failed("Choose where to save the checkpoint.")
            return
        self.submitted.emit(password, path)

    def working(self) -> None:
        self.problemLabel.setText("Signing…")
        self.issueButton.setEnabled(False)

    def failed(self, sentence: str) -> None:
        self.issueButton.setEnabled(True)
        self.issueButton.setDefault(True)
        self.problemLabel.setText(sentence)
        self._layout.activate()  # a two-line sentence (a lockout's) must not squeeze the intro
        self.resize(self.width(), max(self.height(), self._layout.heightForWidth(self.width())))
        self.passwordEdit.selectAll()
        self.passwordEdit.setFocus()

    def accept(self) -> None:
        self.passwordEdit.clear()
        super().accept()

    def reject(self) -> None:
        self.passwordEdit.clear()
        super().reject()
