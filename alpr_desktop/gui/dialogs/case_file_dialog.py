"""Export to the analyst's own case file: what goes in it, where, and the analyst's
confirmation, then the gated export on a worker ("export.case_file" with the read ids and
the files' hashes). The suggested name holds the case number and the time, never a plate."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.case_file import (
    MAX_CASE_FILE_READS,
    CaseFileError,
    CaseFileReceipt,
    CaseFileRequest,
    csv_path_for,
)
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.audit_report_dialog import default_report_dir

SOURCE_WORDS = {"results": "the current results", "profile": "a plate profile",
                "picked": "reads you picked"}


def suggested_name(case_number: str, now: float | None = None) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in case_number)[:40]
    stamp = time.strftime("%Y%m%d-%H%M", time.localtime(now))
    return f"case-file-{safe or 'case'}-{stamp}.pdf"


class CaseFileDialog(QDialog):
    exported = Signal(object)  # CaseFileReceipt

    def __init__(self, controller: Controller, read_ids: list[int], *, source: str,
                 query_words: str, kinds: dict[int, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseFileDialog")
        self.setWindowTitle("Export to your case file")
        self.controller = controller
        self.read_ids = list(dict.fromkeys(read_ids))
        self.source = source
        self.query_words = query_words
        self.kinds = dict(kinds or {})
        self.receipt: CaseFileReceipt | None = None
        purpose = controller.purpose
        p = purpose.purpose if purpose is not None else None
        case = p.case_number if p is not None else ""
        purpose_line = (f"{p.category.label} · {p.offense} · case {p.case_number}"
                        if p is not None else "no active purpose")
        n = len(self.read_ids)
        intro = QLabel(
            f"{n:,} read{'s' if n != 1 else ''} from {SOURCE_WORDS.get(source, source)} go to "
            f"a PDF (with plate crops, overview thumbnails and each original image's SHA-256) "
            f"and a CSV of the same rows.\n\nPurpose: {purpose_line}\nQuery: "
            f"{query_words or '(reads picked by hand)'}\n\nThis is for your own case file "
            "under this purpose and is logged with the read ids and the files' hashes. It is "
            "not a disclosure: giving ALPR data to another agency is a different action.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.pathEdit = QLineEdit(str(default_report_dir() / suggested_name(case)))
        self.pathEdit.setObjectName("caseFilePath")
        self.pathEdit.setAccessibleName("Case file PDF")
        path_label = QLabel("&PDF file:")
        path_label.setBuddy(self.pathEdit)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(path_label)
        row.addWidget(self.pathEdit, 1)
        row.addWidget(browse)
        self.csvLabel = QLabel()
        self.csvLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.pathEdit.textChanged.connect(self._show_csv)
        self._show_csv(self.pathEdit.text())
        self.confirmCheck = QCheckBox(
            "I &confirm: these reads go to my own case file under the purpose above.")
        self.confirmCheck.setObjectName("caseFileConfirm")
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("caseFileProblem")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.exportButton = self.buttons.addButton("&Export",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.exportButton.setEnabled(False)
        self.confirmCheck.toggled.connect(self.exportButton.setEnabled)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        if n > MAX_CASE_FILE_READS or purpose is None:
            self.problemLabel.setText(
                f"A case file holds at most {MAX_CASE_FILE_READS:,} reads." if purpose
                else "Declare a purpose first.")
            self.confirmCheck.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.csvLabel)
        layout.addWidget(self.confirmCheck)
        layout.addWidget(self.problemLabel)
        layout.addWidget(self.buttons)
        self.resize(640, 320)
        name_controls(self)

    def _show_csv(self, text: str) -> None:
        self.csvLabel.setText(f"CSV beside it: {csv_path_for(Path(text or 'case.pdf')).name}")

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Case file", self.pathEdit.text(),
                                              "PDF files (*.pdf)")
        if path:
            self.pathEdit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def request(self) -> CaseFileRequest:
        return CaseFileRequest(tuple(self.read_ids), Path(self.pathEdit.text().strip()),
                               self.source, self.query_words, dict(self.kinds),
                               self.confirmCheck.isChecked())

    def export(self) -> None:
        try:
            req = self.request()
            req.checked()
        except CaseFileError as exc:
            self.problemLabel.setText(str(exc))
            return
        if req.pdf_path.exists() or csv_path_for(req.pdf_path).exists():
            self.problemLabel.setText("A file of that name is already there: choose another "
                                      "name (nothing is overwritten).")
            return
        self.exportButton.setEnabled(False)
        self.problemLabel.setText("Writing the case file…")

        def done(receipt: CaseFileReceipt) -> None:
            self.receipt = receipt
            self.exported.emit(receipt)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.exportButton.setEnabled(self.confirmCheck.isChecked())
            if isinstance(exc, CaseFileError | OSError):
                self.problemLabel.setText(
                    str(exc) if isinstance(exc, CaseFileError)
                    else f"The files could not be written ({exc.strerror or exc}); nothing "
                         "was kept.")
                return
            self.problemLabel.setText("")
            show_problem(self, exc)

        def work(s: Any, ctx: Any) -> CaseFileReceipt:
            return s.case_files.export(ctx, req)

        self.controller.run(work, done, failed)
