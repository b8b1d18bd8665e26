"""Releasing the response to an approved request (issue 15): the analyst chooses an evidence
package (a folder or one ZIP file) or an offline review extract (with the last day it opens),
and where it goes; the dialog shows progress and its Cancel stops the work (nothing is
released). After an extract, the passphrase is shown once, with the release record to save.

Window-modal and non-blocking (``open()``); the service checks everything again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.agencies_requests import SharingRequest
from alpr_desktop.gui.dialogs.retention_dialogs import _Form

PACKAGE, EXTRACT = "package", "extract"
DEFAULT_DAYS = 90
MAX_DAYS = 366


@dataclass(frozen=True)
class ReleaseChoice:
    kind: str  # PACKAGE or EXTRACT
    folder: Path
    as_zip: bool
    expires_on: dt.date | None


class ReleaseDialog(_Form):
    """What leaves for an approved request, and where. ``released`` are the kinds already
    sent (each kind leaves once)."""

    saved = Signal(object)  # ReleaseChoice
    cancelRequested = Signal()

    def __init__(self, request: SharingRequest, released: set[str], today: dt.date,
                 folder: Path, parent: QWidget | None = None) -> None:
        sent = " and ".join(sorted(released))
        super().__init__(
            "Release Response",
            f"Request #{request.id} from {request.agency_name} (their case "
            f"{request.case_number}), approved by {request.decided_by}: {len(request.read_ids)} "
            f"reads for {request.requester}. An approved request may be answered once with an "
            "evidence package and once with an offline review extract"
            + (f"; already sent: {sent}." if sent else "."), parent)
        self.setMinimumWidth(560)
        self.released = set(released)
        self.packageRadio = QRadioButton("Evidence &package: signed PDF, original images, "
                                         "manifest")
        self.extractRadio = QRadioButton("Offline review &extract: encrypted, opens until "
                                         "a date")
        self.kinds = QButtonGroup(self)
        self.kinds.addButton(self.packageRadio)
        self.kinds.addButton(self.extractRadio)
        self.packageRadio.setEnabled(PACKAGE not in released)
        self.extractRadio.setEnabled(EXTRACT not in released)
        (self.packageRadio if PACKAGE not in released else self.extractRadio).setChecked(True)
        self.zipCheck = QCheckBox("As one &ZIP file (instead of a folder)")
        self.expires = QDateEdit(QDate(today.year, today.month, today.day).addDays(DEFAULT_DAYS))
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("yyyy-MM-dd")
        self.expires.setMinimumDate(QDate(today.year, today.month, today.day).addDays(1))
        self.expires.setMaximumDate(QDate(today.year, today.month, today.day).addDays(MAX_DAYS))
        self.folderEdit = QLineEdit(str(folder))
        self.folderEdit.setAccessibleName("Folder to save in")
        self.browseButton = QPushButton("&Browse…")
        self.browseButton.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folderEdit, 1)
        where.addWidget(self.browseButton)
        kinds = QVBoxLayout()
        kinds.addWidget(self.packageRadio)
        kinds.addWidget(self.zipCheck)
        kinds.addWidget(self.extractRadio)
        self.form.addRow("Send as", kinds)
        self.form.addRow("Extract &opens until", self.expires)
        save_in = QLabel("&Save in")
        save_in.setBuddy(self.folderEdit)
        self.form.addRow(save_in, where)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress of the release")
        self.progress.hide()
        box = cast(QVBoxLayout, self.layout())
        box.insertWidget(box.count() - 1, self.progress)
        self.running = False
        self.packageRadio.toggled.connect(self._kind_changed)
        self._kind_changed()
        if not (self.packageRadio.isEnabled() or self.extractRadio.isEnabled()):
            self.show_problem("Both kinds have left for this request; a further release needs "
                              "a new request and approval.")
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def kind(self) -> str:
        return PACKAGE if self.packageRadio.isChecked() else EXTRACT

    def _kind_changed(self) -> None:
        package = self.kind() == PACKAGE
        self.zipCheck.setEnabled(package)
        self.expires.setEnabled(not package)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder to Save the Release In",
                                                self.folderEdit.text())
        if name:
            self.folderEdit.setText(name)

    def _ok(self) -> None:
        folder = Path(self.folderEdit.text().strip())
        if not self.folderEdit.text().strip() or not folder.is_dir():
            self.show_problem("Choose an existing folder to save the release in.")
            return
        d = self.expires.date()
        expires = dt.date(d.year(), d.month(), d.day()) if self.kind() == EXTRACT else None
        self.problem.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        for w in (self.packageRadio, self.extractRadio, self.zipCheck, self.expires,
                  self.folderEdit, self.browseButton):
            w.setEnabled(False)
        self.running = True
        self.progress.setRange(0, 0)
        self.progress.show()
        self.saved.emit(ReleaseChoice(self.kind(), folder, self.zipCheck.isChecked(), expires))

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def failed(self, text: str) -> None:
        """The release was refused or cancelled: nothing left; the choice may be changed."""
        self.running = False
        self.progress.hide()
        for w in (self.folderEdit, self.browseButton):
            w.setEnabled(True)
        self.packageRadio.setEnabled(PACKAGE not in self.released)
        self.extractRadio.setEnabled(EXTRACT not in self.released)
        self._kind_changed()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.show_problem(text)

    def reject(self) -> None:
        """Cancel while the release runs stops it (the dialog stays until it has stopped)."""
        if self.running:
            self.progress.setFormat("Cancelling…")
            self.cancelRequested.emit()
            return
        super().reject()


class PassphraseDialog(QDialog):
    """The extract's passphrase, shown once: it is kept nowhere else."""

    saveRecord = Signal(object)  # Path of the release record to write

    def __init__(self, summary: str, passphrase: str, suggested: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Extract Released: Passphrase")
        self.setMinimumWidth(560)
        self.suggested = suggested
        intro = QLabel(summary + "\n\nThis passphrase opens the extract. It is shown now and "
                       "printed on the release record, and kept nowhere else: give it to the "
                       "recipient apart from the file (by telephone, or the printed record "
                       "handed over separately).")
        intro.setWordWrap(True)
        self.passphraseLabel = QLabel(passphrase)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 4)
        self.passphraseLabel.setFont(font)
        self.passphraseLabel.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.passphraseLabel.setAccessibleName("Passphrase of the extract")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.recordButton = QPushButton("Save &Release Record…")
        self.recordButton.clicked.connect(self._save_record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.recordButton, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphraseLabel)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _save_record(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save Release Record",
                                              str(self.suggested), "PDF (*.pdf)")
        if name:
            self.saveRecord.emit(Path(name))

    def record_saved(self, path: Path) -> None:
        self.status.setText(f"Release record saved as {path}. Print it for the recipient.")
