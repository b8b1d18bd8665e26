"""The custodian's Import Reviewer Log action: pick the file a reviewer sent back, verify and
import it on a worker (services.review_extract_import), then show who looked at what, when and
from which computer. A refused file is told as a sentence; nothing is imported then."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.reviewer_log import ReviewedEntry
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Runner
from alpr_desktop.gui.errors import show_error
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.services.review_extract_import import ImportedLog

ChooseFile = Callable[[QWidget], str]


def choose_reviewer_log(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Import Reviewer Log", "",
                                          "Reviewer log (*.alprreviewlog);;All files (*)")
    return path


class ReviewedEntriesModel(RowsModel[ReviewedEntry]):
    columns = (
        Column("When", lambda e: format_local(e.ts_ms)),
        Column("Reviewer", lambda e: f"{e.reviewer} ({e.organization})"),
        Column("What", lambda e: e.what if e.outcome == "ok" else f"{e.what} (REFUSED)"),
        Column("Where", lambda e: e.workstation or "—"),
        Column("Purpose", lambda e: e.purpose or "—"),
    )


class ImportedLogDialog(QDialog):
    def __init__(self, imported: ImportedLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        r = imported.result
        self.setWindowTitle("Reviewer Log Imported")
        summary = QLabel(
            f"The log of extract {r.extract_id[:8]} ({r.recipient_name}, {r.organization}) is "
            f"signed by the extract's key and its chain is intact to entry #{r.head_seq}. "
            f"{r.new_entries:,} new of {r.entries_in_file:,} entries were added to the audit; "
            "the audit report lists them under \"Offline review extracts\".")
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        self.model = ReviewedEntriesModel(self)
        self.model.set_rows(imported.entries)
        self.table = QTableView()
        self.table.setObjectName("reviewedEntries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Imported reviewer entries")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        name_controls(self)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(900, 480)


def import_reviewer_log(parent: QWidget, runner: Runner, *,
                        choose: ChooseFile | None = None,
                        done: Callable[[ImportedLog], object] | None = None) -> str:
    """Ask for the file and import it on a worker; returns the path chosen ("" if none)."""
    path = (choose or choose_reviewer_log)(parent)
    if not path:
        return ""

    def work(s: Any, ctx: Any) -> ImportedLog:
        result: ImportedLog = s.reviewer_logs.import_log(ctx, path)
        return result

    def shown(imported: ImportedLog) -> None:
        if not shiboken6.isValid(parent):
            return
        dialog = ImportedLogDialog(imported, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        parent.setProperty("reviewerLogDialog", dialog)
        if done is not None:
            done(imported)

    def failed(exc: BaseException) -> None:
        if shiboken6.isValid(parent):
            show_error(parent, exc, title="Reviewer Log Not Imported")

    runner.run(work, shown, failed)
    return path


__all__ = ["ImportedLogDialog", "choose_reviewer_log", "import_reviewer_log"]
