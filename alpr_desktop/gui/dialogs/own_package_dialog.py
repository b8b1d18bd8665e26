"""The analyst's own prosecution package (issue 15): reads from the results or the picked reads
of the case file, packaged for the analyst's own agency or the prosecutor, under the declared
purpose. Only agencies the custodian approved in the registry are offered, and the service
checks the recipient and the purpose again (refused and logged otherwise). Progress shows;
Cancel stops the build and nothing is released."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from alpr_desktop.core.agencies import Agency
from alpr_desktop.gui.controller import Controller, ProgressWork
from alpr_desktop.gui.dialogs.retention_dialogs import _Form


class OwnPackageDialog(_Form):
    """Build the package; ``built`` carries the PackageResult."""

    built = Signal(object)

    def __init__(self, controller: Controller, read_ids: list[int], source: str,
                 folder: Path | None = None, parent: QWidget | None = None) -> None:
        purpose = controller.purpose
        case = purpose.purpose.case_number if purpose is not None else "(no purpose)"
        super().__init__(
            "Evidence Package for Prosecution",
            f"{len(read_ids):,} reads ({source}) of your case {case}, as a signed evidence "
            "package for your own agency or the prosecutor. Only agencies the custodian "
            "approved in the registry can receive it; the release is logged with the agency, "
            "the reads, you and your purpose (policy §5).", parent)
        self.setMinimumWidth(560)
        self.controller = controller
        self.read_ids = list(read_ids)
        self.agency = QComboBox()
        self.agency.setAccessibleName("Receiving agency")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("e.g. DDA Sam Ortiz")
        self.note = QLineEdit()
        self.note.setPlaceholderText("what the package holds (optional)")
        self.zipCheck = QCheckBox("As one &ZIP file (instead of a folder)")
        self.folderEdit = QLineEdit(str(folder or Path.home()))
        self.browseButton = QPushButton("&Browse…")
        self.browseButton.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folderEdit, 1)
        where.addWidget(self.browseButton)
        save_in = QLabel("&Save in")
        save_in.setBuddy(self.folderEdit)
        self.form.addRow("Receiving &agency", self.agency)
        self.form.addRow("&Recipient", self.recipient)
        self.form.addRow("&Contents", self.note)
        self.form.addRow("", self.zipCheck)
        self.form.addRow(save_in, where)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress of the package")
        self.progress.hide()
        box = cast(QVBoxLayout, self.layout())
        box.insertWidget(box.count() - 1, self.progress)
        self.running = False
        self.handle: Any = None
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        controller.run(lambda s, ctx: s.sharing.agencies(ctx), self._agencies,
                       lambda exc: self.show_problem(str(exc)))

    def _agencies(self, agencies: list[Agency]) -> None:
        if not isValid(self):
            return
        for a in agencies:
            if a.approved:
                self.agency.addItem(a.name, a.id)
        if self.agency.count() == 0:
            self.show_problem("No agency is approved as a recipient yet: ask the custodian to "
                              "register and approve your agency or the prosecutor's office.")
            self.ok_button.setEnabled(False)
            return
        self.ok_button.setEnabled(True)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Folder to Save the Package In",
                                                self.folderEdit.text())
        if name:
            self.folderEdit.setText(name)

    def _ok(self) -> None:
        from alpr_desktop.services.evidence_package import OwnCaseOrder

        folder = Path(self.folderEdit.text().strip())
        if not self.folderEdit.text().strip() or not folder.is_dir():
            self.show_problem("Choose an existing folder to save the package in.")
            return
        if len(" ".join(self.recipient.text().split())) < 3:
            self.show_problem("Name the person who receives the package.")
            return
        stamp = dt.datetime.fromtimestamp(self.controller.clock.now_ms() / 1000,
                                          dt.UTC).strftime("%Y%m%d-%H%M%S")
        target = folder / f"evidence-own-case-{stamp}"
        order = OwnCaseOrder(tuple(self.read_ids), int(self.agency.currentData()),
                             self.recipient.text(), self.note.text())
        as_zip = self.zipCheck.isChecked()
        work: ProgressWork = lambda s, ctx, progress, _cancel: (  # noqa: E731
            s.evidence_packages.build_own_case(ctx, order, target, progress, as_zip=as_zip))
        self.problem.hide()
        self._running(True)
        self.handle = self.controller.run_with_progress(work, self._done, self._failed,
                                                        self._progress)

    def _running(self, on: bool) -> None:
        self.running = on
        self.ok_button.setEnabled(not on)
        for w in (self.agency, self.recipient, self.note, self.zipCheck, self.folderEdit,
                  self.browseButton):
            w.setEnabled(not on)
        self.progress.setRange(0, 0)
        self.progress.setVisible(on)

    def _progress(self, done: int, total: int) -> None:
        if isValid(self):
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _done(self, result: Any) -> None:
        if not isValid(self):
            return
        self.running = False
        self.built.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._running(False)
        self.show_problem(str(exc) or "The package failed; nothing was released.")

    def reject(self) -> None:
        """Cancel while the package is built stops it; the dialog waits for it to stop."""
        if self.running and self.handle is not None:
            self.progress.setFormat("Cancelling…")
            self.handle.cancel()
            return
        super().reject()
