"""The custodian's access-log audit report (policy §5, §6): choose the period, filters, file
and thresholds, build the PDF on a worker with progress and Cancel, then open or print it.

The service does the work and the logging (an "audit.report" entry, also for a cancelled or
failed build) and leaves no partial file behind; this dialog only collects the choices and
shows progress. Opening, choosing the file and printing are injectable so tests drive them
without a desktop, a file dialog or a printer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.audit_filters import AuditFilter, local_day_bounds
from alpr_desktop.core.clock import SITE_ZONE, Clock
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.printing import PrintDialog, Spooler, system_spooler
from alpr_desktop.gui.workers import CancelToken, TaskHandle
from alpr_desktop.services.audit_service import ReportOptions, ReportResult
from alpr_desktop.services.progress import CancelFn, ProgressFn
from alpr_desktop.services.workstation import ServiceSet

ChoosePath = Callable[[QWidget, str], str | None]
Opener = Callable[[Path], object]

# Period presets: key, label. "any" does not limit the period; "custom" uses the two dates.
PRESETS: tuple[tuple[str, str], ...] = (
    ("any", "Any date"),
    ("today", "Today"),
    ("last7", "Last 7 days"),
    ("last30", "Last 30 days"),
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("custom", "Custom dates"),
)
PeriodState = tuple[str, date, date]


def local_today(clock: Clock) -> date:
    return datetime.fromtimestamp(clock.now_ms() / 1000, tz=SITE_ZONE).date()


def preset_dates(key: str, today: date) -> tuple[date, date] | None:
    """First and last local day of a preset (None for "any" and "custom")."""
    if key == "today":
        return today, today
    if key == "last7":
        return today - timedelta(days=6), today
    if key == "last30":
        return today - timedelta(days=29), today
    if key == "this_month":
        return today.replace(day=1), today
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return None


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PeriodEdit(QWidget):
    """A period of whole local days: a preset or two dates (shared by the audit view's filter
    panel and this dialog, so both mean the same days)."""

    changed = Signal()

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.presetCombo = QComboBox()
        self.presetCombo.setObjectName("periodCombo")
        for key, label in PRESETS:
            self.presetCombo.addItem(label, key)
        self.fromEdit = QDateEdit()
        self.toEdit = QDateEdit()
        for edit, name in ((self.fromEdit, "fromDate"), (self.toEdit, "toDate")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(today()))
            edit.dateChanged.connect(self._dates_edited)
        self.fromLabel = QLabel("Fro&m")
        self.fromLabel.setBuddy(self.fromEdit)
        self.toLabel = QLabel("T&o")
        self.toLabel.setBuddy(self.toEdit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.presetCombo)
        row.addWidget(self.fromLabel)
        row.addWidget(self.fromEdit)
        row.addWidget(self.toLabel)
        row.addWidget(self.toEdit)
        self.presetCombo.currentIndexChanged.connect(self._preset_chosen)
        self._busy = False
        self._preset_chosen()

    def preset(self) -> str:
        return str(self.presetCombo.currentData())

    def set_preset(self, key: str) -> None:
        i = self.presetCombo.findData(key)
        self.presetCombo.setCurrentIndex(max(0, i))
        self._preset_chosen()

    def set_range(self, first: date, last: date) -> None:
        self._busy = True
        try:
            self.fromEdit.setDate(_qdate(first))
            self.toEdit.setDate(_qdate(last))
        finally:
            self._busy = False
        self.presetCombo.setCurrentIndex(self.presetCombo.findData("custom"))
        self._update_enabled()
        self.changed.emit()

    def state(self) -> PeriodState:
        return self.preset(), _pydate(self.fromEdit.date()), _pydate(self.toEdit.date())

    def set_state(self, state: PeriodState) -> None:
        key, first, last = state
        if key == "custom":
            self.set_range(first, last)
        else:
            self.set_preset(key)

    def bounds(self) -> tuple[int | None, int | None]:
        """UTC ms bounds, or (None, None) for any date; ValueError (a sentence) when the
        period ends before it starts."""
        if self.preset() == "any":
            return None, None
        first, last = _pydate(self.fromEdit.date()), _pydate(self.toEdit.date())
        if last < first:
            raise ValueError("The period ends before it starts: check the From and To dates.")
        return local_day_bounds(first, last, SITE_ZONE)

    def _preset_chosen(self) -> None:
        dates = preset_dates(self.preset(), self._today())
        if dates is not None:
            self._busy = True
            try:
                self.fromEdit.setDate(_qdate(dates[0]))
                self.toEdit.setDate(_qdate(dates[1]))
            finally:
                self._busy = False
        self._update_enabled()
        self.changed.emit()

    def _dates_edited(self) -> None:
        if self._busy:
            return
        custom = self.presetCombo.findData("custom")
        if self.presetCombo.currentIndex() != custom:
            self.presetCombo.blockSignals(True)
            self.presetCombo.setCurrentIndex(custom)
            self.presetCombo.blockSignals(False)
            self._update_enabled()
        self.changed.emit()

    def _update_enabled(self) -> None:
        on = self.preset() != "any"
        for w in (self.fromEdit, self.toEdit, self.fromLabel, self.toLabel):
            w.setEnabled(on)


def choose_save_path(parent: QWidget, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save Audit Report", suggested,
                                          "PDF documents (*.pdf)")
    return path or None


def open_with_system(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def default_report_dir() -> Path:
    """The user's Documents folder, created when the desktop names one that does not exist
    yet (a fresh account); the home folder when it cannot be created."""
    where = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not where:
        return Path.home()
    path = Path(where)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return path if path.is_dir() else Path.home()


class AuditReportDialog(QDialog):
    report_done = Signal(object)  # ReportResult

    def __init__(
        self,
        parent: QWidget | None,
        controller: Controller,
        flt: AuditFilter,
        period: PeriodState | None = None,
        *,
        choose_path: ChoosePath | None = None,
        opener: Opener | None = None,
        spooler: Spooler | None = None,
        directory: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Access-Log Audit Report")
        self.controller = controller
        self.filter = flt
        self.choose_path = choose_path or choose_save_path
        self.opener = opener or open_with_system
        self.spooler = spooler
        self.report_result: ReportResult | None = None
        self.running = False
        self.token: CancelToken | None = None
        self.handle: TaskHandle | None = None
        self.progress: QProgressDialog | None = None
        self.print_dialog: PrintDialog | None = None

        self.period = PeriodEdit(lambda: local_today(controller.clock))
        if period is not None:
            self.period.set_state(period)
        self.period.changed.connect(self._suggest_name)
        self.filtersCheck = QCheckBox("Only entries that match the audit view's &filters")
        rest = replace(flt, from_ms=None, to_ms=None)
        self.filtersCheck.setChecked(not rest.is_empty())
        self.filtersCheck.setEnabled(not rest.is_empty())
        self.filtersLabel = QLabel(rest.describe())
        self.filtersLabel.setWordWrap(True)
        self.filtersLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.pathEdit = QLineEdit()
        self.pathEdit.setObjectName("reportPath")
        self.browseButton = QPushButton("&Browse…")
        self.browseButton.setAutoDefault(False)
        self.browseButton.clicked.connect(self.browse)
        form = QFormLayout()
        period_label = QLabel("Perio&d:")
        period_label.setBuddy(self.period.presetCombo)
        form.addRow(period_label, self.period)
        form.addRow("Filters:", self.filtersLabel)
        form.addRow("", self.filtersCheck)
        path_row = QHBoxLayout()
        path_row.addWidget(self.pathEdit, 1)
        path_row.addWidget(self.browseButton)
        file_label = QLabel("&Save as:")
        file_label.setBuddy(self.pathEdit)
        form.addRow(file_label, path_row)
        settings_note = QLabel("Working hours, night and the flags' thresholds are the store's "
                               "oversight settings, the same for every report.")
        settings_note.setWordWrap(True)
        form.addRow("", settings_note)

        self.statusLabel = QLabel("The report verifies the whole chain and lists every selected "
                                  "entry. Making it is written to the access log.")
        self.statusLabel.setObjectName("reportStatus")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.createButton = self.buttons.addButton(
            "&Create Report", QDialogButtonBox.ButtonRole.ActionRole)
        self.openButton = self.buttons.addButton("O&pen", QDialogButtonBox.ButtonRole.ActionRole)
        self.printButton = self.buttons.addButton(
            "P&rint…", QDialogButtonBox.ButtonRole.ActionRole)
        self.createButton.setDefault(True)
        self.openButton.setEnabled(False)
        self.printButton.setEnabled(False)
        self.createButton.clicked.connect(self.build)
        self.openButton.clicked.connect(self.open_report)
        self.printButton.clicked.connect(self.print_report)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.buttons)
        self._directory = directory or default_report_dir()
        self._suggest_name()
        self.resize(640, self.sizeHint().height())

    # -- the choices -------------------------------------------------------------------------
    def _suggest_name(self) -> None:
        """A file name that says the period, unless the user typed one."""
        if self.pathEdit.isModified():
            return
        key, first, last = self.period.state()
        span = "all" if key == "any" else f"{first.isoformat()}_to_{last.isoformat()}"
        self.pathEdit.setText(str(self._directory / f"access-log-audit_{span}.pdf"))

    def browse(self) -> None:
        chosen = self.choose_path(self, self.pathEdit.text())
        if chosen:
            self.pathEdit.setText(chosen)
            self.pathEdit.setModified(True)

    def report_filter(self) -> AuditFilter:
        base = self.filter if self.filtersCheck.isChecked() else AuditFilter()
        from_ms, to_ms = self.period.bounds()
        return base.with_period(from_ms, to_ms)

    def options(self) -> ReportOptions:
        return ReportOptions()

    def out_path(self) -> Path:
        text = self.pathEdit.text().strip()
        if not text:
            raise ValueError("Choose where to save the report.")
        path = Path(text).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        if not path.is_absolute():
            path = self._directory / path
        if not path.parent.is_dir():
            raise ValueError(f"The folder {path.parent} does not exist.")
        return path

    # -- building ------------------------------------------------------------------------------
    def build(self) -> None:
        """Build the PDF on a worker, with progress and Cancel."""
        if self.running:
            return
        try:
            flt, options, out = self.report_filter(), self.options(), self.out_path()
        except ValueError as exc:
            self.statusLabel.setText(str(exc))
            return
        self.running = True
        self.report_result = None
        self.createButton.setEnabled(False)
        self.openButton.setEnabled(False)
        self.printButton.setEnabled(False)
        self.statusLabel.setText(f"Building {out.name}…")
        progress = QProgressDialog(f"Building the audit report {out.name}…", "Cancel", 0, 1000,
                                   self)
        progress.setObjectName("reportProgress")
        progress.setWindowTitle("Audit Report")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        progress.canceled.connect(self.cancel)
        self.progress = progress
        progress.show()

        def work(s: ServiceSet, ctx: Any, progress: ProgressFn, cancel: CancelFn) -> ReportResult:
            return s.audit.build_report(ctx, out, flt, options, progress=progress,
                                        cancel=cancel)

        self.handle = self.controller.run_with_progress(work, self._built, self._failed,
                                                        self._show_progress)
        self.token = self.handle.token

    def cancel(self) -> None:
        if self.running and self.token is not None:
            self.token.cancel()
            self.statusLabel.setText("Cancelling; the partial file will be removed…")
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    def _show_progress(self, done: int, total: int) -> None:
        if not shiboken6.isValid(self) or self.progress is None:
            return
        if total > 0:
            self.progress.setValue(min(1000, done * 1000 // total))

    def _finish(self) -> None:
        self.running = False
        self.token = None
        self.handle = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.createButton.setEnabled(True)

    def _built(self, result: ReportResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        self.report_result = result
        v = result.verify
        chain = ("The log is intact." if v.intact else
                 f"The log is NOT INTACT (first broken entry #{v.first_broken}); the report "
                 "says so.")
        self.statusLabel.setText(
            f"Saved {result.path.name}: {result.entries:,} entries on {result.pages:,} pages. "
            f"{chain}")
        self.statusLabel.setToolTip(str(result.path))
        self.openButton.setEnabled(True)
        self.printButton.setEnabled(True)
        self.openButton.setFocus()
        self.report_done.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        if isinstance(exc, Cancelled):
            self.statusLabel.setText("Cancelled. No report was written.")
            return
        self.statusLabel.setText("The report was not made.")
        show_problem(self, exc, title="Report Not Made")

    # -- after -------------------------------------------------------------------------------
    def open_report(self) -> None:
        if self.report_result is None:
            return
        path = self.report_result.path
        if self.opener(path) is False:
            self.statusLabel.setText(
                f"No program to show PDF files was found. The report is at {path}.")

    def print_report(self) -> PrintDialog | None:
        if self.report_result is None:
            return None
        dialog = PrintDialog(self, self.report_result.path, self.spooler or system_spooler())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog = dialog
        dialog.open()
        return dialog

    def reject(self) -> None:
        """Esc or Close: while building, cancel first (the service removes the partial file)."""
        if self.running:
            self.cancel()
            return
        super().reject()
