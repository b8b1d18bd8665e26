"""Small dialogs of the retention screens: a note or reason (refuse, release, approve), the
retention period with its reason, and the analyst's hold request. Each is window-modal and
non-blocking (``open()``); ``saved`` carries what was entered, and the service checks it again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.retention import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS
from alpr_desktop.gui.palette import ERROR_TEXT


class _Form(QDialog):
    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problemLabel")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_TEXT};")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.buttons.setEnabled(True)
        self.adjustSize()  # room for the sentence, never over the fields

    def _ok(self) -> None:
        raise NotImplementedError


class NoteDialog(_Form):
    """A note the service keeps in the log (why a hold is refused, released, approved)."""

    saved = Signal(str)

    def __init__(self, title: str, intro: str, label: str, parent: QWidget | None = None,
                 *, required: bool = True) -> None:
        super().__init__(title, intro, parent)
        self.required = required
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.form.addRow(label, self.note)

    def _ok(self) -> None:
        text = self.note.toPlainText().strip()
        if self.required and len(text) < 5:
            self.show_problem("Write a few words: they go into the access log.")
            return
        self.buttons.setEnabled(False)
        self.saved.emit(text)


class PeriodDialog(_Form):
    """The retention period in months (at most 60) and the reason it changes."""

    saved = Signal(int, str)

    def __init__(self, months: int, parent: QWidget | None = None) -> None:
        super().__init__(
            "Retention Period",
            "Policy §8 keeps data five years from recordation. The period may be shortened "
            "(for instance by Council resolution), never made longer than five years. Reads "
            "past the new period are deleted at the next purge, within a minute; that cannot "
            "be undone.", parent)
        self.months = QSpinBox()
        self.months.setRange(MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS)
        self.months.setValue(months)
        self.months.setSuffix(" months")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        self.form.addRow("&Keep reads for", self.months)
        self.form.addRow("&Reason", self.reason)

    def _ok(self) -> None:
        self.buttons.setEnabled(False)
        self.saved.emit(self.months.value(), self.reason.toPlainText().strip())


class HoldRequestDialog(_Form):
    """The analyst asks that reads be kept past retention as evidence."""

    saved = Signal(str, str)

    def __init__(self, reads: int, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Request Evidence Hold",
            f"Ask the custodian to keep {reads:,} read{'s' if reads != 1 else ''} past the "
            "five-year retention as evidence. Until the custodian approves, the purge deletes "
            "them on time as usual. An approved hold is reviewed every two years.", parent)
        self.case = QLineEdit(case_number)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.reason.setPlaceholderText(
            "The proceeding and what the reads prove (e.g. trial set for March 2027 in "
            "Compton Superior Court; the reads place the vehicle at the scene).")
        self.form.addRow("&Case number", self.case)
        self.form.addRow("&Reason", self.reason)

    def _ok(self) -> None:
        self.buttons.setEnabled(False)
        self.saved.emit(self.case.text().strip(), self.reason.toPlainText().strip())


class ArchiveLogDialog(_Form):
    """The custodian archives access-log entries older than five years: their password (it
    unwraps the checkpoint key that signs the archive) and the folder for the file."""

    saved = Signal(str, str)  # password, folder

    def __init__(self, entries: int, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(
            "Archive Access Log",
            f"Write the {entries:,} access-log entries older than five years to a signed, "
            "encrypted archive file and remove them from the store. The log then verifies "
            "from an anchor naming their last hash; with the file, end to end. Keep a copy "
            "of the file off this workstation.", parent)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Your password")
        self.folder = QLineEdit(folder)
        self.folder.setAccessibleName("Folder for the archive file")
        self.form.addRow("Your &password", self.password)
        self.form.addRow("&Folder", self.folder)

    def _ok(self) -> None:
        if not self.password.text():
            self.show_problem("Type your password: it unwraps the key that signs the archive.")
            return
        if not self.folder.text().strip():
            self.show_problem("Choose the folder the archive file goes to.")
            return
        self.buttons.setEnabled(False)
        self.saved.emit(self.password.text(), self.folder.text().strip())
