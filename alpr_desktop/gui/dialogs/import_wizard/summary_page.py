"""Page 4 of the import wizard: the counts, the rejects by reason and the reject report."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from alpr_desktop.gui.dialogs.import_wizard.common import (
    FORMAT_NAMES,
    wrapped_label,
)
from alpr_desktop.services.import_files import REASON_TEXT, Reason
from alpr_desktop.services.import_summary import ImportSummary, summary_lines

if TYPE_CHECKING:
    from alpr_desktop.gui.dialogs.import_wizard.wizard import ImportWizard


def _expected(s: ImportSummary) -> list[str]:
    """The layout and example row for a file whose every record was refused for one reason."""
    return [line for f in s.files if f.expected for line in f.expected.splitlines()]


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Summary")
        self.setSubTitle("What was added and what was refused. The reject report names the "
                         "file, line, column and reason of each refused row, never its values.")
        self.headline = wrapped_label("")
        self.headline.setObjectName("summaryHeadline")
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("summaryTable")
        self.table.setAccessibleName("Import summary by file")
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalHeaderLabels(
            ["File", "Result", "Added", "Already in the store", "Rejected", "Format"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.reasonsLabel = wrapped_label("")
        self.reasonsLabel.setObjectName("summaryReasons")
        self.reasonsLabel.setTextFormat(Qt.TextFormat.RichText)
        self.camerasLabel = wrapped_label("")
        self.camerasLabel.setObjectName("summaryCameras")
        self.reportLabel = wrapped_label("")
        self.reportLabel.setObjectName("summaryReport")
        self.reportLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.openReportButton = QPushButton("&Open Reject Report")
        self.openReportButton.clicked.connect(self.wiz.open_report)
        self.resumeButton = QPushButton("&Resume Import")
        self.resumeButton.clicked.connect(self.wiz.resume_import)
        buttons = QHBoxLayout()
        buttons.addWidget(self.openReportButton)
        buttons.addWidget(self.resumeButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table)
        layout.addWidget(self.reasonsLabel)
        layout.addWidget(self.camerasLabel)
        layout.addWidget(self.reportLabel)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:
        s = self.wiz.summary
        if s is None:
            return
        if s.cancelled:
            self.headline.setText(
                f"The import was stopped. {s.added:,} reads were added before it stopped; "
                "Resume Import (or importing the same files later) finishes it without "
                "adding any read twice.")
        else:
            self.headline.setText(
                f"Import finished in {s.seconds:.1f} s: {s.added:,} added, "
                f"{s.in_store:,} already in the store, {s.rejected:,} rejected.")
        self.table.setRowCount(0)
        for f in s.files:
            r = self.table.rowCount()
            self.table.insertRow(r)
            if f.refused:
                status = f"Refused: {f.refused}"
            elif f.already_imported:
                status = "Imported earlier; nothing added"
            elif f.resumed:
                status = "Resumed and finished"
            else:
                status = "Done"
            if f.single_reason:
                status = "Every record rejected for one reason: see below"
            cells = [f.name, status, f"{f.added:,}", f"{f.in_store:,}",
                     f"{f.rejected_total:,}", FORMAT_NAMES.get(f.format, f.format)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # as tall as its rows (up to eight), so the reasons below stay in view
        shown = min(max(self.table.rowCount(), 1), 8)
        self.table.setFixedHeight(self.table.horizontalHeader().height()
                                  + shown * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth() + 2)
        reasons = s.rejected_by_reason()
        if reasons:
            lines = []
            for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
                try:
                    text = REASON_TEXT[Reason(code)]
                except ValueError:
                    text = code
                lines.append(f"{n:,} × {html.escape(text)} <small>({html.escape(code)})</small>")
            self.reasonsLabel.setText("<b>Rejected by reason</b><br>" + "<br>".join(lines))
        else:
            self.reasonsLabel.setText("No row was rejected.")
        cams = s.new_cameras
        extra = [line.strip() for line in summary_lines(s)
                 if line.startswith(("Warning:", "  Note:", "  Every record"))]
        self.camerasLabel.setText("\n".join([
            f"New cameras ({len(cams)}): " + ", ".join(cams) if cams else "No new cameras.",
            *extra, *_expected(s)]))
        self.reportLabel.setText(f"Reject report (file, line, column, reason; no values): "
                                 f"{s.report_path}" if s.report_path else "")
        self.openReportButton.setVisible(s.report_path is not None)
        self.resumeButton.setVisible(s.cancelled)
        (self.openReportButton if s.report_path else self.wiz.button(
            QWizard.WizardButton.FinishButton)).setFocus()
