"""The custodian's audit screen (policy §5, §6; CJIS 5.4.1.1): filter the access log, read each
entry in full, verify the hash chain and make the audit report.

Reading the audit log is itself audited: the service logs each listing ("audit.view", with the
filter), each verification ("audit.verify") and each report. Every query, the verification and
the PDF run on workers; the table loads page by page as it is scrolled.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.audit_filters import AuditFilter
from alpr_desktop.core.audit_format import audit_row, format_local, format_utc, load_obj
from alpr_desktop.core.audit_log import LogEntry, VerifyResult
from alpr_desktop.core.audit_words import detail_facts, entry_words
from alpr_desktop.core.errors import Cancelled
from alpr_desktop.core.log_anchors import AnchoredResult
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import explain_access, show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.audit_report_dialog import (
    AuditReportDialog,
    ChoosePath,
    Opener,
    local_today,
)
from alpr_desktop.gui.dialogs.checkpoint import (
    ChooseFile,
    IssueCheckpointDialog,
    choose_checkpoint_file,
)
from alpr_desktop.gui.dialogs.oversight_dialog import OversightDialog
from alpr_desktop.gui.errors import explain
from alpr_desktop.gui.models.audit_log_model import SEQ, AuditLogModel
from alpr_desktop.gui.printing import Spooler
from alpr_desktop.gui.review.import_log import import_reviewer_log
from alpr_desktop.gui.widgets.audit_filter_panel import FilterPanel
from alpr_desktop.gui.workers import CancelToken, TaskHandle, run_task
from alpr_desktop.services.checkpoints import IssueResult, suggested_name
from alpr_desktop.services.progress import ProgressFn
from alpr_desktop.services.workstation import DedicatedServices, ServiceSet

PAGE_SIZE = 200
INTACT_STYLE = palette.badge_style(palette.GOOD_BADGE, padding="3px 10px", radius=3,
                                   selector="QLabel")
BROKEN_STYLE = palette.badge_style(palette.BAD_BADGE, padding="3px 10px", radius=3,
                                   selector="QLabel")


def _pretty(text: str) -> str:
    """Stored JSON indented for reading; text that is not JSON (a tampered entry) as is."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True)
    except (ValueError, TypeError):
        return text


def entry_html(e: LogEntry, *, stored: bool = False) -> str:
    """The whole entry for the detail pane in words: what happened, who, for which purpose,
    what was asked and returned, and the stored detail as labelled facts. ``stored`` adds the
    entry's JSON exactly as written (for a technical check, off by default)."""
    r = audit_row(e)
    w = entry_words(e)
    esc = html.escape
    fields = [
        ("Date and time", f"{format_local(e.ts_ms)} ({format_utc(e.ts_ms)})"),
        ("Event", w["event"]),
        ("Outcome", w["outcome"]),
        ("User", e.username),
        ("Organization", e.organization),
        ("Agency", r.agency),
        ("Workstation", e.workstation),
        ("Plate or query elements", w["query"]),
        ("Result", w["result"]),
        ("Purpose", w["purpose"]),
        ("Narrative", w["narrative"]),
        *detail_facts(load_obj(e.detail_json)),
    ]
    rows = "".join(
        f"<tr><td style='padding-right:10px' valign='top'><b>{esc(k)}</b></td>"
        f"<td>{esc(v or '—')}</td></tr>"
        for k, v in fields
    )
    chain = "".join(
        f"<tr><td style='padding-right:10px'><b>{k}</b></td><td><tt>{esc(v)}</tt></td></tr>"
        for k, v in (("Previous hash", e.prev_hash), ("Hash", e.hash))
    )
    blocks = ""
    if stored:
        blocks = "<h4>As stored</h4>" + "".join(
            f"<b>{esc(title)}</b><pre style='white-space: pre-wrap'>{esc(_pretty(text))}</pre>"
            for title, text in (("Event type", e.event), ("Purpose", e.purpose_json),
                                ("Query", e.query_json), ("Detail", e.detail_json))
        )
    return (f"<h3>Entry #{e.seq}: {esc(w['event'])}</h3><table>{rows}{chain}</table>"
            f"{blocks}")


class VerifyPanel(QFrame):
    """The result of walking the chain: entries checked, the head hash (to hold against a
    printed report), and INTACT or the first broken entry with a way to show it."""

    show_entry = Signal(int)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.stateLabel = QLabel()
        self.stateLabel.setObjectName("verifyState")
        self.summaryLabel = QLabel()
        self.summaryLabel.setObjectName("verifySummary")
        self.summaryLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.summaryLabel.setWordWrap(True)
        self.headLabel = QLabel()
        self.headLabel.setObjectName("headHash")
        self.headLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.headLabel.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.headLabel.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.headLabel.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.brokenLabel = QLabel()
        self.brokenLabel.setObjectName("brokenEntry")
        self.brokenLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.brokenLabel.setWordWrap(True)
        self.showButton = QPushButton()
        self.showButton.setObjectName("showBrokenButton")
        self.showButton.clicked.connect(self._show)
        self.progressBar = QProgressBar()
        self.progressBar.setObjectName("verifyProgress")
        self.cancelButton = QPushButton("&Stop Verification")
        self.cancelButton.clicked.connect(self.cancel_requested)
        self.broken: int | None = None

        top = QHBoxLayout()
        top.addWidget(self.stateLabel)
        top.addWidget(self.summaryLabel, 1)
        top.addWidget(self.progressBar, 1)
        top.addWidget(self.cancelButton)
        head = QHBoxLayout()
        head.addWidget(QLabel("Chain head hash:"))
        head.addWidget(self.headLabel, 1)
        broken = QHBoxLayout()
        broken.addWidget(self.brokenLabel, 1)
        broken.addWidget(self.showButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addLayout(head)
        layout.addLayout(broken)
        self.hide()

    def running(self) -> None:
        self.show()
        self.stateLabel.setText("Verifying…")
        self.stateLabel.setStyleSheet("")
        self.summaryLabel.setText("")
        self.summaryLabel.hide()
        self.progressBar.setRange(0, 0)
        self.progressBar.show()
        self.cancelButton.show()
        self.cancelButton.setEnabled(True)
        self.headLabel.setText("")
        self._set_broken(None, "")

    def progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progressBar.setRange(0, total)
            self.progressBar.setValue(min(done, total))

    def _stop(self) -> None:
        self.progressBar.hide()
        self.cancelButton.hide()
        self.summaryLabel.show()

    def result(self, v: VerifyResult, when_ms: int) -> None:
        self._stop()
        self.stateLabel.setText("INTACT" if v.intact else "NOT INTACT")
        self.stateLabel.setStyleSheet(INTACT_STYLE if v.intact else BROKEN_STYLE)
        self.summaryLabel.setText(
            f"{v.checked:,} entries checked; chain head is entry #{v.head_seq}. "
            f"Verified {format_local(when_ms)}.")
        self.headLabel.setText(v.head_hash)
        if v.intact:
            self._set_broken(None, "")
        elif v.first_broken is not None:
            self._set_broken(v.first_broken, f"First broken entry: #{v.first_broken}: {v.reason}.")
        else:
            self._set_broken(None, f"{v.reason[:1].upper()}{v.reason[1:]}.")

    def anchored(self, r: AnchoredResult, when_ms: int) -> None:
        """The chain held against a checkpoint: INTACT only when the chain is whole and
        still holds the entry the checkpoint vouches for; otherwise what is missing or
        rewritten, in a sentence."""
        v = r.chain
        self.result(v, when_ms)
        cp = r.checkpoint
        self.stateLabel.setText("NOT INTACT" if not r.intact else
                                "INTACT (ENTRY ARCHIVED)" if r.archived else "INTACT")
        self.stateLabel.setStyleSheet(INTACT_STYLE if r.intact else BROKEN_STYLE)
        self.summaryLabel.setText(
            f"Held against {cp.describe()} ({cp.entry_count:,} entries; key "
            f"{cp.key_fingerprint}). {v.checked:,} entries checked; chain head is entry "
            f"#{v.head_seq}. Verified {format_local(when_ms)}."
            # issue 14: the vouched entry left the store for an archive file since
            + (f" {r.summary().split('. Chain head')[0]}." if r.intact and r.archived else ""))
        if r.intact:
            self._set_broken(None, "")
        else:
            seq = v.first_broken if v.first_broken is not None else None
            self._set_broken(seq, f"{r.reason[:1].upper()}{r.reason[1:]}.")

    def stopped(self, text: str) -> None:
        self._stop()
        self.stateLabel.setText("Not verified")
        self.stateLabel.setStyleSheet("")
        self.summaryLabel.setText(text)

    def _set_broken(self, seq: int | None, text: str) -> None:
        self.broken = seq
        self.brokenLabel.setText(text)
        self.brokenLabel.setVisible(bool(text))
        self.showButton.setVisible(seq is not None)
        if seq is not None:
            self.showButton.setText(f"&Show Entry #{seq}")

    def _show(self) -> None:
        if self.broken is not None:
            self.show_entry.emit(self.broken)


class AuditView(QWidget):
    """Filters, the lazy table, the detail pane, verification and the report."""

    status_message = Signal(str)

    def __init__(
        self, controller: Controller, parent: QWidget | None = None, *,
        choose_path: ChoosePath | None = None, opener: Opener | None = None,
        spooler: Spooler | None = None, page_size: int = PAGE_SIZE,
        choose_checkpoint: ChooseFile | None = None,
        choose_checkpoint_target: ChooseFile | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.choose_path, self.opener, self.spooler = choose_path, opener, spooler
        self.choose_checkpoint = choose_checkpoint or choose_checkpoint_file
        self.choose_checkpoint_target = choose_checkpoint_target
        self.checkpoint_dialog: IssueCheckpointDialog | None = None
        self.checkpoint_dir = _documents_dir()
        self.report_dialog: AuditReportDialog | None = None
        self.oversight_dialog: OversightDialog | None = None
        self.applied = AuditFilter()
        self.total: int | None = None
        self._generation = 0
        self._loading = False
        self._select_first = False
        self._verify_token: CancelToken | None = None
        self._verify_handle: TaskHandle | None = None
        # One connection for the listings: the service logs a listing's first page and knows
        # later pages of the same listing by remembering the last one.
        self._pager = controller.dedicated()
        pager = self._pager
        self.destroyed.connect(lambda *_: _close_later(pager))

        self.filters = FilterPanel(lambda: local_today(controller.clock))
        self.filters.apply_requested.connect(self.apply)
        self.filters.clearButton.clicked.connect(self.clear_filters)

        self.model = AuditLogModel(self, page_size=page_size)
        self.model.page_loaded.connect(lambda _n: self._update_status())
        self.model.fetch_failed.connect(self._failed)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # #, time, event, agency, query, user, purpose, results, outcome: the first six fit
        # a 1024-pixel window; the purpose stretches, cut text has its tooltip.
        for col, width in enumerate((44, 168, 150, 80, 212, 180, 260, 60, 70)):
            self.table.setColumnWidth(col, width)
        self.table.setAccessibleName("Access log entries")
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = QTextBrowser()
        self.detail.setObjectName("entryDetail")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Select an entry to see all of it.")
        self.detail.setAccessibleName("Entry detail")
        self.storedCheck = QCheckBox("Sho&w as stored")
        self.storedCheck.setObjectName("storedCheck")
        self.storedCheck.setToolTip("Add the entry's purpose, query and detail exactly as they "
                                    "were written to the log (for a technical check).")
        self.storedCheck.toggled.connect(lambda _on: self._show_detail(self.selected_entry()))

        self.verifyButton = QPushButton("&Verify Integrity")
        self.verifyButton.setObjectName("verifyButton")
        self.verifyButton.setToolTip("Walk the whole hash chain (logged).")
        self.verifyButton.clicked.connect(self.verify)
        self.issueCheckpointButton = QPushButton("Issue Chec&kpoint…")
        self.issueCheckpointButton.setObjectName("issueCheckpointButton")
        self.issueCheckpointButton.setToolTip(
            "Sign the log's present head with your key and save it as a file to keep "
            "elsewhere (logged).")
        self.issueCheckpointButton.clicked.connect(self.issue_checkpoint)
        self.verifyCheckpointButton = QPushButton("Verify Against C&heckpoint…")
        self.verifyCheckpointButton.setObjectName("verifyCheckpointButton")
        self.verifyCheckpointButton.setToolTip(
            "Walk the chain and hold it against a checkpoint file: finds a log cut short, an "
            "older copy put back, or a rewrite (logged).")
        self.verifyCheckpointButton.clicked.connect(lambda: self.verify_checkpoint())
        self.importLogButton = QPushButton("Import Reviewer &Log…")
        self.importLogButton.setObjectName("importReviewerLogButton")
        self.importLogButton.setToolTip("Verify and import the signed log a reviewer sent back "
                                        "from an offline review extract (logged).")
        self.importLogButton.clicked.connect(lambda: import_reviewer_log(self, self.controller))
        self.reportButton = QPushButton("&Report…")
        self.reportButton.setObjectName("reportButton")
        self.reportButton.clicked.connect(self.open_report)
        self.oversightButton = QPushButton("Overs&ight…")
        self.oversightButton.setObjectName("oversightButton")
        self.oversightButton.setToolTip("The users to look at first, as page 1 of the report "
                                        "ranks them; mark findings reviewed (logged).")
        self.oversightButton.clicked.connect(self.open_oversight)
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("auditStatus")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("filterProblem")
        self.problemLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT, selector="QLabel"))
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.verifyPanel = VerifyPanel()
        self.verifyPanel.show_entry.connect(self.show_entry)
        self.verifyPanel.cancel_requested.connect(self.cancel_verify)

        # Two rows, so that the status sentence and five actions fit at 1024 pixels.
        bar = QHBoxLayout()
        bar.addWidget(self.statusLabel, 1)
        bar.addWidget(self.problemLabel)
        bar.addWidget(self.storedCheck)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.oversightButton, self.verifyButton, self.verifyCheckpointButton,
                       self.issueCheckpointButton, self.importLogButton, self.reportButton):
            actions.addWidget(button)
        # The detail pane goes below the table: the table keeps the full width for all nine
        # columns, and the entry reads as fields beside its stored JSON.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(self.verifyPanel)
        layout.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_query)
        self.findShortcut = find
        self._update_status()

    # -- opening -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """On opening: the pick lists, then the first listing (logged as "audit.view")."""
        self.load_choices()
        self.apply()

    def load_choices(self) -> None:
        def work(s: ServiceSet, ctx: Any) -> tuple[list[str], list[str], list[str]]:
            found = s.audit.choices(ctx, ("username", "organization", "agency", "event"))
            orgs = sorted(set(found["organization"]) | set(found["agency"]) - {""},
                          key=str.casefold)
            return found["username"], orgs, found["event"]

        def done(choices: tuple[list[str], list[str], list[str]]) -> None:
            if shiboken6.isValid(self):
                users, orgs, events = choices
                self.filters.set_choices([u for u in users if u], orgs)
                self.filters.eventPicker.add_events(e for e in events if e)

        self.controller.run(work, done, self._failed)

    # -- listing -----------------------------------------------------------------------------
    def focus_query(self) -> None:
        self.filters.queryEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.queryEdit.selectAll()

    def clear_filters(self) -> None:
        self.filters.clear()
        self.apply()

    def apply(self) -> None:
        """List the entries the filters select, newest first (a new, logged listing)."""
        try:
            flt = self.filters.current_filter()
        except ValueError as exc:
            self.problemLabel.setText(str(exc))
            return
        self.problemLabel.clear()
        self._list(flt, 0, select_first=False)

    def show_entry(self, seq: int) -> None:
        """Select entry ``seq``: in the table if loaded, else list the whole log from it."""
        row = self.model.row_of_seq(seq)
        if row is not None:
            self._select(row)
            return
        self.filters.clear()
        self._list(AuditFilter(), seq + 1, select_first=True)

    def _list(self, flt: AuditFilter, before_seq: int, *, select_first: bool) -> None:
        self._generation += 1
        generation = self._generation
        self.applied = flt
        self.total = None
        self._loading = True
        self._select_first = select_first
        self.model.clear()
        self._show_detail(None)
        self._update_status()
        size = self.model.page_size

        def work(s: ServiceSet, ctx: Any) -> tuple[int, list[LogEntry]]:
            found = s.audit.listing(ctx, flt, before_seq, size, descending=True)
            return found.total, found.entries

        def done(answer: tuple[int, list[LogEntry]]) -> None:
            if generation != self._generation or not shiboken6.isValid(self):
                return
            self._loading = False
            self.total = answer[0]
            self.model.start(answer[1], self._fetcher(flt, generation))
            if self._select_first and self.model.rowCount():
                self._select(0)

        def failed(exc: BaseException) -> None:
            if generation != self._generation or not shiboken6.isValid(self):
                return
            self._loading = False
            self._update_status()
            self._failed(exc)

        self.controller.run_dedicated(self._pager, work, done, failed)

    def _fetcher(self, flt: AuditFilter, generation: int) -> Callable[..., Any]:
        size = self.model.page_size

        def fetch(after_seq: int, on_page: Callable[[list[LogEntry]], None],
                  on_error: Callable[[BaseException], None]) -> Any:
            if generation != self._generation:
                return None

            def work(s: ServiceSet, ctx: Any) -> list[LogEntry]:
                return s.audit.page(ctx, flt, after_seq, size, descending=True)

            return self.controller.run_dedicated(self._pager, work, on_page, on_error)

        return fetch

    @property
    def loading(self) -> bool:
        return self._loading or self.model.fetching

    def _update_status(self) -> None:
        shown = self.model.rowCount()
        if self._loading:
            text = "Listing…"
        elif self.total is None:
            text = ""
        else:
            noun = "entry matches" if self.total == 1 else "entries match"
            text = f"{self.total:,} {noun}; {shown:,} shown, newest first"
            if self.model.has_more:
                text += " (scroll for more)"
            text += ". Listing the log is itself logged."
        self.statusLabel.setText(text)
        if text:
            self.status_message.emit(text)

    # -- the detail pane ---------------------------------------------------------------------
    def _select(self, row: int) -> None:
        index = self.model.index(row, SEQ)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.entry_at(current.row()) if current.isValid() else None)

    def _show_detail(self, entry: LogEntry | None) -> None:
        self.detail.setHtml(entry_html(entry, stored=self.storedCheck.isChecked())
                            if entry is not None else "")

    def selected_entry(self) -> LogEntry | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    # -- verification ------------------------------------------------------------------------
    @property
    def verifying(self) -> bool:
        return self._verify_token is not None

    def verify(self) -> None:
        """Walk the whole chain on a worker (logged as "audit.verify")."""
        def work(s: ServiceSet, ctx: Any, step: Callable[[int, int], bool]) -> VerifyResult:
            return s.audit.verify(ctx, step)

        self._run_verify(work, self.verifyPanel.result)

    def verify_checkpoint(self, path: str | None = None) -> None:
        """Ask for a checkpoint file, then walk the chain and hold it against it on a worker
        (logged as "audit.verify" with the checkpoint). A refused checkpoint (bad signature,
        another store, a key this store does not pin) is told in a sentence."""
        if self.verifying:
            return
        if path is None:
            path = self.choose_checkpoint(self, str(self.checkpoint_dir))
            if not path:
                return
        chosen = path

        def work(s: ServiceSet, ctx: Any, step: Callable[[int, int], bool]) -> AnchoredResult:
            return s.checkpoints.verify(ctx, chosen, step)

        self._run_verify(work, self.verifyPanel.anchored)

    def _run_verify(self, work_fn: Callable[..., Any],
                    show: Callable[[Any, int], None]) -> None:
        if self.verifying:
            return
        self.verifyButton.setEnabled(False)
        self.verifyCheckpointButton.setEnabled(False)
        self.verifyPanel.running()

        def work(s: ServiceSet, ctx: Any, progress: ProgressFn, _cancel: Any) -> tuple[Any, int]:
            return work_fn(s, ctx, progress), s.clock.now_ms()

        def progress(done: int, total: int) -> None:
            if shiboken6.isValid(self) and self.verifying:
                self.verifyPanel.progress(done, total)

        def done(answer: tuple[Any, int]) -> None:
            if not shiboken6.isValid(self):
                return
            self._verify_done()
            show(*answer)
            self.status_message.emit(answer[0].summary())

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self._verify_done()
            if isinstance(exc, Cancelled):
                self.verifyPanel.stopped("Verification cancelled; a partial walk proves "
                                         "nothing.")
                return
            self.verifyPanel.stopped("The verification did not run.")
            self._failed(exc)

        handle = self.controller.run_with_progress(work, done, failed, progress)
        self._verify_handle = handle
        self._verify_token = handle.token

    # -- checkpoints ---------------------------------------------------------------------------
    def issue_checkpoint(self) -> IssueCheckpointDialog:
        """Ask for the custodian's password and a file name, then sign and save a checkpoint
        on a worker (logged as "checkpoint.issued")."""
        suggested = self.checkpoint_dir / suggested_name(self.controller.clock.now_ms())
        dialog = IssueCheckpointDialog(self, suggested, choose=self.choose_checkpoint_target)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda pw, path: self._issue(dialog, pw, path))
        self.checkpoint_dialog = dialog
        dialog.open()
        return dialog

    def _issue(self, dialog: IssueCheckpointDialog, password: str, path: str) -> None:
        dialog.working()

        def work(s: ServiceSet, ctx: Any) -> IssueResult:
            return s.checkpoints.issue(ctx, password, path)

        def done(res: IssueResult) -> None:
            cp = res.checkpoint
            self.checkpoint_dir = res.path.parent
            text = (f"Checkpoint issued: {cp.entry_count:,} entries, head {cp.head_hash[:16]}…, "
                    f"signed with key {cp.key_fingerprint}. Saved as {res.path}.")
            if shiboken6.isValid(dialog):
                dialog.accept()
            if shiboken6.isValid(self):
                self.status_message.emit(text)
                box = QMessageBox(QMessageBox.Icon.Information, "Checkpoint Issued",
                                  text, QMessageBox.StandardButton.Ok, self)
                box.setObjectName("checkpointIssuedBox")
                box.setInformativeText(
                    ("A new signing key was created and pinned in the store; its fingerprint "
                     "is printed on every audit report. " if res.key_pinned else "")
                    + "Move the file off this workstation and keep it where its users cannot "
                    "change it.")
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()
                self.checkpoint_box = box

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(dialog):
                return
            ex = explain_access(exc) or explain(exc)
            dialog.failed(ex.sentence)

        self.controller.run(work, done, failed)

    def cancel_verify(self) -> None:
        if self._verify_token is not None:
            self._verify_token.cancel()
            self.verifyPanel.cancelButton.setEnabled(False)

    def _verify_done(self) -> None:
        self._verify_token = None
        self._verify_handle = None
        self.verifyButton.setEnabled(True)
        self.verifyCheckpointButton.setEnabled(True)

    # -- the report --------------------------------------------------------------------------
    def open_report(self) -> AuditReportDialog:
        """The report dialog, its period and filters defaulting to the view's."""
        try:
            flt = self.filters.current_filter()
        except ValueError:
            flt = self.applied
        dialog = AuditReportDialog(
            self, self.controller, flt, self.filters.period.state(),
            choose_path=self.choose_path, opener=self.opener, spooler=self.spooler)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def open_oversight(self) -> OversightDialog:
        """The ranking of users to look at first (issue 21), read on a worker (logged)."""
        dialog = OversightDialog(self, self.controller)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.oversight_dialog = dialog
        dialog.open()
        dialog.refresh()
        return dialog

    # -- problems and teardown ---------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled) or not shiboken6.isValid(self):
            return
        show_problem(self, exc, title="Audit Log")

    def clear_data(self) -> None:
        """At lock and sign-out: drop every entry shown, stop work, close the connection."""
        self._generation += 1
        self.cancel_verify()
        self.model.clear()
        self._show_detail(None)
        self.verifyPanel.hide()
        _close_later(self._pager)


def _documents_dir() -> Path:
    """Where a checkpoint is offered first: Documents when there is one, else home."""
    docs = Path.home() / "Documents"
    return docs if docs.is_dir() else Path.home()


def _close_later(pager: DedicatedServices) -> None:
    """Close the listing connection on a worker: a page query may still hold it."""
    run_task(pager.close, on_result=lambda _r: None, on_error=lambda _e: None)

