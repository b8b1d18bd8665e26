"""The custodian's Retention screen (policy §8): the oldest read and its age, the next
deletion, OVERDUE when the scheduled purge is not running, the purge history and the evidence
holds, with the decisions on holds and the retention period. Dates and counts only, never a
plate. Everything is loaded on a worker in one logged request ("retention.view")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import format_local
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.log_archive import Anchor, ArchiveResult, LogArchiveError
from alpr_desktop.core.retention import (
    HoldRecord,
    RetentionError,
    RetentionStatus,
    StoreConversion,
    age_text,
    describe_period,
)
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.dialogs.retention_dialogs import (
    ArchiveLogDialog,
    NoteDialog,
    PeriodDialog,
    _Form,
)
from alpr_desktop.gui.models.retention_models import HoldsModel, PurgeHistoryModel
from alpr_desktop.gui.palette import BAD_BADGE, BADGE_TEXT
from alpr_desktop.gui.session_controller import Services, SessionController
from alpr_desktop.gui.views.table_screen import TableScreen
from alpr_desktop.gui.workers import TaskHandle
from alpr_desktop.services.holds import HoldService
from alpr_desktop.services.retention import RetentionOverview, RetentionService

TITLE = "<h3>Retention</h3>"
OVERDUE = ("OVERDUE: {n:,} read{s} more than two minutes past the deletion time. The "
           "scheduled purge is not running on this computer: check the scheduled task "
           "(alpr-desktop purge), or keep the program open until the reads are gone.")


def retention(s: Services) -> RetentionService:
    return s.retention


def holds(s: Services) -> HoldService:
    return s.holds


OLD_STORE = ("This store was made before freed pages could be handed back: the purge "
             "overwrites what it deletes, but the file never shrinks and keeps every freed "
             "page. Convert Store… rewrites the file once so that from then on freed pages "
             "leave it (minutes on a large store; other work waits; Cancel leaves the store "
             "as it was). You may do it later.")


def log_archive_text(anchors: Sequence[Anchor], due: int) -> str:
    """The access log's own retention in one sentence (docs/retention.md)."""
    parts = []
    if anchors:
        last = anchors[-1]
        parts.append(f"entries 1–{last.last_seq:,} archived (latest on "
                     f"{format_local(last.archived_ms)[:16]}); the chain verifies from there")
    else:
        parts.append("nothing archived: the whole log is in the store")
    parts.append(f"{due:,} entr{'y' if due == 1 else 'ies'} older than five years "
                 "await archiving" if due else "no entry is older than five years")
    return "; ".join(parts)


def summary_html(st: RetentionStatus, log_line: str = "") -> str:
    """The facts at the top of the screen, in sentences."""
    rows = [("Retention", f"{describe_period(st.retention_months)} from recordation, then "
                          "deleted one minute later (policy §8)")]
    if st.oldest_recorded is None:
        rows.append(("Oldest read", "none: the store holds no read outside a hold"))
    else:
        rows.append(("Oldest read", f"recorded {format_local(st.oldest_recorded * 1000)}, "
                                    f"{age_text(st.oldest_age_s or 0)} old"))
        rows.append(("Next deletion", format_local((st.next_deletion or 0) * 1000)))
    rows.append(("Held as evidence", f"{st.held_reads:,} reads under approved holds"))
    rows.append(("Last purge run", format_local(st.last_run_ms) if st.last_run_ms
                 else "never on this store"))
    if not st.auto_vacuum:
        rows.append(("Free space", "this store was made before freed pages could be handed "
                                   "back; deleted data is overwritten, the file does not shrink"))
    if log_line:
        rows.append(("Access log", log_line))
    cells = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    return f"<table>{cells}</table>"


class RetentionView(TableScreen):
    model: HoldsModel

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.status: RetentionStatus | None = None
        self.periodButton = QPushButton("Retention &Period…")
        self.approveButton = QPushButton("&Approve Hold…")
        self.refuseButton = QPushButton("Re&fuse Hold…")
        self.renewButton = QPushButton("Re&new Hold")
        self.releaseButton = QPushButton("Re&lease Hold…")
        self.archiveButton = QPushButton("Archive Access Lo&g…")
        self.archiveButton.setToolTip("Move access-log entries older than five years to a "
                                      "signed, encrypted archive file")
        self.convertButton = QPushButton("Con&vert Store…")
        self.convertButton.setToolTip("Rewrite a store made before freed pages could be "
                                      "handed back, so purged pages leave the file")
        self.archiveButton.clicked.connect(self.archive_log)
        self.convertButton.clicked.connect(self.convert_store)
        self.convertButton.hide()
        self.archiveButton.setEnabled(False)  # until the overview says entries are due
        self.convert_box: QMessageBox | None = None
        self.convert_progress: QProgressDialog | None = None
        self._convert_handle: TaskHandle | None = None
        self.log_due = 0
        self.periodButton.clicked.connect(self.change_period)
        self.approveButton.clicked.connect(self.approve)
        self.refuseButton.clicked.connect(self.refuse)
        self.renewButton.clicked.connect(self.renew)
        self.releaseButton.clicked.connect(self.release)
        self._build(TITLE, HoldsModel(controller.clock.now_ms, self),
                    (self.periodButton, self.approveButton, self.refuseButton,
                     self.renewButton, self.releaseButton, self.archiveButton,
                     self.convertButton))
        self.refreshButton.setText("Refres&h")
        self.table.setAccessibleName("Evidence holds")
        self.overdueLabel = QLabel()
        self.overdueLabel.setObjectName("overdueBanner")
        self.overdueLabel.setWordWrap(True)
        self.overdueLabel.setStyleSheet(
            f"QLabel {{ background: {BAD_BADGE}; color: {BADGE_TEXT}; font-weight: bold; "
            "padding: 6px; }")
        self.overdueLabel.hide()
        self.oldStoreLabel = QLabel(OLD_STORE)
        self.oldStoreLabel.setObjectName("oldStoreBanner")
        self.oldStoreLabel.setWordWrap(True)
        self.oldStoreLabel.setStyleSheet("QLabel { border: 1px solid palette(mid); "
                                         "padding: 6px; }")
        self.oldStoreLabel.hide()
        self.summary = QLabel()
        self.summary.setObjectName("retentionSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = PurgeHistoryModel(self)
        self.historyTable = QTableView()
        self.historyTable.setObjectName("purgeHistory")
        self.historyTable.setAccessibleName("Purge runs")
        self.historyTable.setModel(self.history)
        self.historyTable.setTabKeyNavigation(False)
        self.historyTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.historyTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.historyTable.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.historyTable.horizontalHeader().setStretchLastSection(True)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)  # TableScreen's column
        layout.insertWidget(1, self.overdueLabel)
        layout.insertWidget(2, self.oldStoreLabel)
        layout.insertWidget(3, self.summary)
        layout.insertWidget(4, QLabel("<b>Evidence holds</b> (requested by analysts; a hold "
                                      "keeps its reads past retention until released or "
                                      "its review date)"))
        layout.addWidget(QLabel("<b>Purge runs</b> (each deletion, without any plate)"))
        layout.addWidget(self.historyTable, 1)
        self._message = ""

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.controller.run(lambda s, ctx: retention(s).overview(ctx), self.show_overview,
                            self._problem)

    def show_overview(self, ov: RetentionOverview) -> None:
        st = self.status = ov.status
        self.log_due = ov.log_due
        self.summary.setText(summary_html(st, log_archive_text(ov.log_anchors, ov.log_due)))
        self.oldStoreLabel.setVisible(not st.auto_vacuum)
        self.convertButton.setVisible(not st.auto_vacuum)
        self.archiveButton.setEnabled(ov.log_due > 0)
        self.overdueLabel.setText(OVERDUE.format(n=st.overdue_reads,
                                                 s="" if st.overdue_reads == 1 else "s"))
        self.overdueLabel.setVisible(st.overdue)
        self.model.set_rows(ov.holds)
        self.history.set_rows(ov.history)
        now = self.controller.clock.now_ms()
        waiting = sum(1 for h in ov.holds if h.status == "requested")
        due = sum(1 for h in ov.holds if h.review_due(now))
        parts = [self._message] if self._message else []
        parts.append(f"{waiting} hold request{'s' if waiting != 1 else ''} waiting.")
        if due:
            parts.append(f"{due} hold{'s' if due != 1 else ''} due for review: renew or "
                         "release.")
        self.statusLabel.setText(" ".join(parts))
        self._message = ""

    def _problem(self, exc: BaseException) -> None:
        show_problem(self, exc)

    # -- buttons ---------------------------------------------------------------------------
    def selected(self) -> HoldRecord | None:
        return super().selected()

    def _update_buttons(self) -> None:
        h = self.selected()
        status = h.status if h is not None else ""
        self.approveButton.setEnabled(status == "requested")
        self.refuseButton.setEnabled(status == "requested")
        self.renewButton.setEnabled(status == "approved")
        self.releaseButton.setEnabled(status == "approved")

    def _submit(self, dialog: _Form, work: Callable[[Services, Any], Any], message: str) -> None:
        def done(_result: object) -> None:
            dialog.accept()
            self._message = message
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RetentionError):
                dialog.show_problem(str(exc))
            else:
                dialog.reject()
                show_problem(self, exc)

        self.controller.run(work, done, failed)

    def change_period(self) -> PeriodDialog:
        dialog = PeriodDialog(self.status.retention_months if self.status else 60, self)
        self._open(dialog, lambda *_: None)
        dialog.saved.connect(lambda months, reason: self._submit(
            dialog, lambda s, ctx: retention(s).set_period(ctx, months, reason),
            f"Retention set to {describe_period(months)}."))
        return dialog

    def _note(self, title: str, intro: str, required: bool,
              work: Callable[[Services, Any, HoldRecord, str], Any], message: str
              ) -> NoteDialog | None:
        hold = self.selected()
        if hold is None:
            return None
        dialog = NoteDialog(title, intro.format(case=hold.case_number, n=hold.read_count),
                            "&Note", self, required=required)
        self._open(dialog, lambda *_: None)
        dialog.saved.connect(lambda note: self._submit(
            dialog, lambda s, ctx: work(s, ctx, hold, note), message))
        return dialog

    def approve(self) -> NoteDialog | None:
        return self._note(
            "Approve Hold", "Keep the {n:,} reads of case {case} past retention until the "
            "hold is released or reviewed (two years from today).", False,
            lambda s, ctx, h, note: holds(s).approve(ctx, h.id, note), "Hold approved.")

    def refuse(self) -> NoteDialog | None:
        return self._note(
            "Refuse Hold", "Refuse the hold for case {case}: its reads are deleted on time. "
            "Say why (the analyst reads it).", True,
            lambda s, ctx, h, note: holds(s).refuse(ctx, h.id, note), "Hold refused.")

    def release(self) -> NoteDialog | None:
        return self._note(
            "Release Hold", "Release the hold for case {case}: its reads past retention are "
            "deleted at the next purge, within a minute. Say why.", True,
            lambda s, ctx, h, note: holds(s).release(ctx, h.id, note), "Hold released.")

    def renew(self) -> None:
        hold = self.selected()
        if hold is None:
            return

        def done(_r: object) -> None:
            self._message = "Hold renewed for two years."
            self.refresh()

        self.controller.run(lambda s, ctx: holds(s).renew(ctx, hold.id), done,
                            self._problem)

    # -- the access log's own retention ------------------------------------------------------
    def archive_log(self) -> ArchiveLogDialog | None:
        """Archive the log's entries older than five years (custodian, with their password)."""
        if self.log_due <= 0:
            return None
        dialog = ArchiveLogDialog(self.log_due, str(Path.home()), self)
        self._open(dialog, lambda *_: None)

        def work(s: Services, ctx: Any, password: str, folder: str) -> Any:
            return s.log_archive.archive(ctx, password, folder)

        def submit(password: str, folder: str) -> None:
            def done(result: ArchiveResult) -> None:
                dialog.accept()
                a = result.anchor
                self._message = (
                    "Nothing was older than five years." if a is None else
                    f"Log entries {a.first_seq:,}–{a.last_seq:,} archived to {a.archive_name}.")
                self.statusLabel.setToolTip(result.path)
                self.refresh()

            def failed(exc: BaseException) -> None:
                if isinstance(exc, LogArchiveError):
                    dialog.show_problem(str(exc))
                else:
                    dialog.reject()
                    show_problem(self, exc)

            self.controller.run(lambda s, ctx: work(s, ctx, password, folder), done, failed)

        dialog.saved.connect(submit)
        return dialog

    # -- converting an old store ---------------------------------------------------------------
    def convert_store(self) -> QMessageBox:
        """Ask first (it may take minutes, with other work waiting); Later defers."""
        box = QMessageBox(QMessageBox.Icon.Question, "Convert Store", OLD_STORE,
                          QMessageBox.StandardButton.NoButton, self)
        box.addButton("Convert &Now", QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(later)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(self._start_conversion)
        self.convert_box = box
        box.open()
        return box

    def _start_conversion(self) -> None:
        progress = QProgressDialog("Converting the store…", "Cancel", 0, 1000, self)
        progress.setWindowTitle("Convert Store")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        self.convert_progress = progress

        def work(s: Services, ctx: Any, step: Any, cancel: Any) -> StoreConversion:
            return s.retention.convert_store(
                ctx, progress=lambda share: step(int(share * 1000), 1000), cancel=cancel)

        def finish(message: str) -> None:
            progress.reset()
            self.convert_progress = None
            self._convert_handle = None
            self._message = message
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                finish("Conversion cancelled; the store is as it was.")
            else:
                finish("")
                show_problem(self, exc)

        self._convert_handle = self.controller.run_with_progress(
            work, lambda r: finish(r.summary), failed,
            lambda done, total: progress.setValue(min(done, total - 1)))
        handle = self._convert_handle
        progress.canceled.connect(handle.cancel)
