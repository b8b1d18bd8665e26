"""The maintenance log (policy §7, issue 16): the contractor's 30-day checks and problems with
their downtime windows, the health signals on the contractor's home screen with one click to
open a problem, and OVERDUE after 30 days without a check. Nothing here shows a plate or an
image: the signals are counts per camera and hour."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import SITE_ZONE, format_local
from alpr_desktop.core.health import HealthReport, HealthSignal
from alpr_desktop.core.maintenance import (
    CheckInput,
    CheckItem,
    CheckResult,
    ItemResult,
    MaintenanceCheck,
    MaintenanceStatus,
    Problem,
    ProblemInput,
)
from alpr_desktop.core.roles import Role
from alpr_desktop.gui import palette
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form
from alpr_desktop.gui.models.table import Column, RowsModel

SITE_QTZ = QTimeZone(b"America/Los_Angeles")


def _when(ms: int | None) -> str:
    return format_local(ms)[:16] if ms is not None else "—"


def _dt_edit(ms: int) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(ms, SITE_QTZ))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setTimeZone(SITE_QTZ)
    return edit


def _ms(edit: QDateTimeEdit) -> int:
    return int(edit.dateTime().toMSecsSinceEpoch())


def _text(placeholder: str, height: int = 58) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(height)
    return edit


def _now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


# -- models ----------------------------------------------------------------------------------
class ChecksModel(RowsModel[MaintenanceCheck]):
    columns = (
        Column("Checked", lambda c: _when(c.checked_ms)),
        Column("By", lambda c: c.checked_by),
        Column("Result", lambda c: "all OK" if not c.problems else
               f"{len(c.problems)} problem{'s' if len(c.problems) != 1 else ''}: "
               + ", ".join(i.item.label for i in c.problems),
               tooltip=lambda c: "\n".join(
                   f"{i.item.label}: {i.result.label}" + (f" — {i.note}" if i.note else "")
                   for i in c.items)),
        Column("Notes", lambda c: " ".join(c.notes.split())[:80], tooltip=lambda c: c.notes),
    )


class ProblemsModel(RowsModel[Problem]):
    columns = (
        Column("Found", lambda p: _when(p.discovered_ms)),
        Column("Cameras", lambda p: ", ".join(p.camera_names) or "—",
               tooltip=lambda p: ", ".join(p.camera_names)),
        Column("Not working", lambda p: "—" if p.down_from_ms is None else
               f"{_when(p.down_from_ms)} – "
               f"{_when(p.down_to_ms) if p.down_to_ms is not None else 'still'}"),
        Column("Resolved", lambda p: _when(p.resolved_ms) if p.resolved else "open"),
        Column("Problem", lambda p: " ".join(p.description.split())[:80],
               tooltip=lambda p: p.description
               + (f"\n\nAction: {p.corrective_action}" if p.corrective_action else "")),
    )


class SignalsModel(RowsModel[HealthSignal]):
    columns = (
        Column("Signal", lambda s: s.kind.label),
        Column("Camera", lambda s: s.camera_name),
        Column("From", lambda s: _when(s.start_s * 1000)),
        Column("To", lambda s: _when(s.end_s * 1000) if s.end_s is not None else "now"),
        Column("What the reads show", lambda s: s.summary, tooltip=lambda s: s.summary),
    )


def _table(model: RowsModel[Any], name: str) -> QTableView:
    t = QTableView()
    t.setObjectName(name)
    t.setAccessibleName(name)
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setTabKeyNavigation(False)
    t.setWordWrap(False)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


# -- dialogs ---------------------------------------------------------------------------------
class CheckDialog(_ServiceDialog):
    """Record a 30-day check: a result for every item, a note where there is a problem."""

    def __init__(self, parent: QWidget | None, controller: Controller,
                 now_ms: int | None = None) -> None:
        super().__init__(parent, controller)
        self.setWindowTitle("Record a 30-Day Check")
        self.whenEdit = _dt_edit(now_ms or _now_ms())
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Item</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Result</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Note (what is wrong, what was done)</b>"), 0, 2)
        self.results: dict[CheckItem, tuple[QComboBox, QLineEdit]] = {}
        for row, item in enumerate(CheckItem, 1):
            combo = QComboBox()
            for r in CheckResult:
                combo.addItem(r.label, r.value)
            combo.setCurrentIndex(-1)
            combo.setPlaceholderText("choose…")
            note = QLineEdit()
            note.setMaxLength(4000)
            label = QLabel(f"{item.label}:")
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(note, row, 2)
            self.results[item] = (combo, note)
        grid.setColumnStretch(2, 1)
        self.notesEdit = _text("Anything else about this visit")
        self._lay_out(labelled_form((("Checked &at:", self.whenEdit),)), grid,
                      labelled_form((("&Notes:", self.notesEdit),)), ok_text="&Record Check")

    def value(self) -> CheckInput:
        items = []
        for item, (combo, note) in self.results.items():
            data = combo.currentData()
            if data is not None:
                items.append(ItemResult(item, CheckResult(data), note.text()))
        return CheckInput(_ms(self.whenEdit), tuple(items), self.notesEdit.toPlainText())

    def work(self) -> Any:
        value = self.value()
        return lambda s, ctx: s.maintenance.record_check(ctx, value)


class ProblemDialog(_ServiceDialog):
    """Record a problem or change one: when found, what, which cameras, the downtime window,
    the corrective action and when it was resolved."""

    def __init__(self, parent: QWidget | None, controller: Controller,
                 cameras: dict[int, str], draft: ProblemInput | None = None,
                 problem_id: int | None = None) -> None:
        super().__init__(parent, controller)
        self.problem_id = problem_id
        self.setWindowTitle("Change a Problem" if problem_id else "Record a Problem")
        d = draft or ProblemInput(_now_ms(), "")
        now = d.discovered_ms
        self.signal = d.signal
        self.foundEdit = _dt_edit(d.discovered_ms)
        self.descriptionEdit = _text("What is wrong, as found", 70)
        self.descriptionEdit.setPlainText(d.description)
        self.camerasList = QListWidget()
        self.camerasList.setFixedHeight(96)
        for cid, name in sorted(cameras.items(), key=lambda kv: kv[1].casefold()):
            it = QListWidgetItem(name)
            it.setData(Qt.ItemDataRole.UserRole, cid)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if cid in d.camera_ids
                             else Qt.CheckState.Unchecked)
            self.camerasList.addItem(it)
        self.downCheck = QCheckBox("&From")
        self.downCheck.setChecked(d.down_from_ms is not None)
        self.downFromEdit = _dt_edit(d.down_from_ms or now)
        self.downEndCheck = QCheckBox("&Until")
        self.downEndCheck.setChecked(d.down_to_ms is not None)
        self.downToEdit = _dt_edit(d.down_to_ms or now)
        window = QHBoxLayout()
        for w in (self.downCheck, self.downFromEdit, self.downEndCheck, self.downToEdit):
            window.addWidget(w)
        window.addStretch(1)
        self.actionEdit = _text("What was done about it")
        self.actionEdit.setPlainText(d.corrective_action)
        self.resolvedCheck = QCheckBox("&Resolved at")
        self.resolvedCheck.setChecked(d.resolved_ms is not None)
        self.resolvedEdit = _dt_edit(d.resolved_ms or now)
        resolved = QHBoxLayout()
        resolved.addWidget(self.resolvedCheck)
        resolved.addWidget(self.resolvedEdit)
        resolved.addStretch(1)
        hint = QLabel("Leave “Until” unticked while the system still does not work; the audit "
                      "report lists every downtime window (when a camera could not have seen "
                      "a car).")
        hint.setWordWrap(True)
        form = labelled_form((("&Found at:", self.foundEdit),
                              ("&Problem:", self.descriptionEdit),
                              ("&Cameras:", self.camerasList),
                              ("Corrective &action:", self.actionEdit)))
        form.insertRow(3, "Not working:", window)
        form.addRow("", resolved)
        for check, edits in ((self.downCheck, (self.downFromEdit, self.downEndCheck,
                                               self.downToEdit)),
                             (self.downEndCheck, (self.downToEdit,)),
                             (self.resolvedCheck, (self.resolvedEdit,))):
            check.toggled.connect(lambda _on, c=check, es=edits: self._enable(c, es))
            self._enable(check, edits)
        self._lay_out(form, hint, ok_text="&Save" if problem_id else "&Record Problem")

    def _enable(self, check: QCheckBox, edits: tuple[QWidget, ...]) -> None:
        for e in edits:
            e.setEnabled(check.isChecked() and check.isEnabled())
        if check is self.downCheck:
            self._enable(self.downEndCheck, (self.downToEdit,))

    def value(self) -> ProblemInput:
        cams = tuple(int(self.camerasList.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.camerasList.count())
                     if self.camerasList.item(i).checkState() == Qt.CheckState.Checked)
        down = self.downCheck.isChecked()
        return ProblemInput(
            _ms(self.foundEdit), self.descriptionEdit.toPlainText(), cams,
            _ms(self.downFromEdit) if down else None,
            _ms(self.downToEdit) if down and self.downEndCheck.isChecked() else None,
            self.actionEdit.toPlainText(),
            _ms(self.resolvedEdit) if self.resolvedCheck.isChecked() else None, self.signal)

    def work(self) -> Any:
        value, pid = self.value(), self.problem_id
        if pid is None:
            return lambda s, ctx: s.maintenance.record_problem(ctx, value)
        return lambda s, ctx: s.maintenance.update_problem(ctx, pid, value)


# -- the status line -------------------------------------------------------------------------
def status_text(st: MaintenanceStatus) -> str:
    text = st.sentence()
    if st.open_problems:
        text += f" {st.open_problems} problem{'s' if st.open_problems != 1 else ''} not resolved."
    return text


def style_status(label: QLabel, st: MaintenanceStatus) -> None:
    label.setText(status_text(st))
    label.setStyleSheet(palette.text_style(palette.ERROR_TEXT, bold=True) if st.overdue
                        else "")


# -- the screen ------------------------------------------------------------------------------
class MaintenanceLogView(QWidget):
    """Checks and problems. The contractor records; the custodian and the administrator
    read (the buttons are hidden for them; the service refuses them anyway)."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.dialog: QWidget | None = None
        self.cameras: dict[int, str] = {}
        self.now_ms: int | None = None  # the services' clock, read at the last refresh
        session = controller.session
        self.can_record = session is not None and Role.CONTRACTOR in session.roles
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("maintenanceStatus")
        self.statusLabel.setWordWrap(True)
        self.checkButton = QPushButton("Record &Check…")
        self.checkButton.clicked.connect(self.record_check)
        self.problemButton = QPushButton("Record &Problem…")
        self.problemButton.clicked.connect(lambda: self.record_problem())
        self.editButton = QPushButton("&Edit Problem…")
        self.editButton.clicked.connect(self.edit_problem)
        self.refreshButton = QPushButton("Re&fresh")
        self.refreshButton.clicked.connect(self.refresh)
        row = QHBoxLayout()
        for b in (self.checkButton, self.problemButton, self.editButton):
            row.addWidget(b)
            b.setVisible(self.can_record)
        row.addStretch(1)
        row.addWidget(self.refreshButton)
        self.checksModel = ChecksModel(self)
        self.checksTable = _table(self.checksModel, "Checks")
        self.problemsModel = ProblemsModel(self)
        self.problemsTable = _table(self.problemsModel, "Problems")
        self.problemsTable.doubleClicked.connect(lambda _i: self.edit_problem())
        self.problemsTable.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        checks = QGroupBox("30-day c&hecks")
        QVBoxLayout(checks).addWidget(self.checksTable)
        checks.setFocusProxy(self.checksTable)
        problems = QGroupBox("Problems and &downtime")
        QVBoxLayout(problems).addWidget(self.problemsTable)
        problems.setFocusProxy(self.problemsTable)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(checks)
        split.addWidget(problems)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Maintenance log</h3>"))
        layout.addWidget(self.statusLabel)
        layout.addLayout(row)
        layout.addWidget(split, 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.editButton.setEnabled(self.selected_problem() is not None)

    def selected_problem(self) -> Problem | None:
        rows = self.problemsTable.selectionModel().selectedRows()
        return self.problemsModel.row_at(rows[0].row()) if rows else None

    def refresh(self) -> None:
        def work(s: Any, ctx: Any) -> tuple[Any, ...]:
            m = s.maintenance
            return (m.status(ctx), m.checks(ctx), m.problems(ctx), m.cameras(ctx),
                    s.clock.now_ms())

        self.controller.run(work, self._loaded, lambda e: show_problem(self, e))

    def _loaded(self, result: tuple[Any, ...]) -> None:
        status, checks, problems, cameras, now = result
        self.cameras, self.now_ms = cameras, now
        style_status(self.statusLabel, status)
        self.checksModel.set_rows(checks)
        self.problemsModel.set_rows(problems)
        for t in (self.checksTable, self.problemsTable):
            t.resizeColumnsToContents()
        self._update_buttons()

    def clear_data(self) -> None:
        self.checksModel.clear()
        self.problemsModel.clear()

    def _open(self, dialog: _ServiceDialog) -> _ServiceDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _v: self.refresh())
        self.dialog = dialog
        dialog.open()
        return dialog

    def record_check(self) -> _ServiceDialog:
        return self._open(CheckDialog(self, self.controller, self.now_ms))

    def record_problem(self, draft: ProblemInput | None = None) -> _ServiceDialog:
        draft = draft or ProblemInput(self.now_ms or _now_ms(), "")
        return self._open(ProblemDialog(self, self.controller, self.cameras, draft))

    def edit_problem(self) -> _ServiceDialog | None:
        p = self.selected_problem()
        if p is None or not self.can_record:
            return None
        draft = ProblemInput(p.discovered_ms, p.description, p.camera_ids, p.down_from_ms,
                             p.down_to_ms, p.corrective_action, p.resolved_ms, p.signal)
        return self._open(ProblemDialog(self, self.controller, self.cameras, draft, p.id))


class HealthPanel(QGroupBox):
    """The health signals on the contractor's home screen: what the reads suggest, each one a
    click from a prefilled problem entry."""

    problem_recorded = Signal(object)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__("Health &signals (last 30 days)", parent)
        self.controller = controller
        self.dialog: QWidget | None = None
        self.cameras: dict[int, str] = {}
        self.now_ms = 0
        self.statusLabel = QLabel()
        self.statusLabel.setObjectName("maintenanceStatus")
        self.statusLabel.setWordWrap(True)
        self.model = SignalsModel(self)
        self.table = _table(self.model, "Health signals")
        self.table.doubleClicked.connect(lambda _i: self.open_problem())
        self.summaryLabel = QLabel()
        self.summaryLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.openButton = QPushButton("&Open Problem…")
        self.openButton.setToolTip("Record a problem prefilled from the selected signal.")
        self.openButton.clicked.connect(self.open_problem)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.openButton.setEnabled(self.selected() is not None))
        self.openButton.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.summaryLabel, 1)
        row.addWidget(self.openButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.setFocusProxy(self.table)

    def selected(self) -> HealthSignal | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def refresh(self) -> None:
        def work(s: Any, ctx: Any) -> tuple[Any, ...]:
            m = s.maintenance
            return m.status(ctx), m.health(ctx), m.cameras(ctx), s.clock.now_ms()

        self.summaryLabel.setText("Computing the signals…")
        self.controller.run(work, self._loaded, lambda e: show_problem(self, e))

    def _loaded(self, result: tuple[Any, ...]) -> None:
        status, report, cameras, now = result
        assert isinstance(report, HealthReport)
        self.cameras, self.now_ms = cameras, now
        style_status(self.statusLabel, status)
        self.model.set_rows(list(report.signals))
        self.table.resizeColumnsToContents()
        n = len(report.signals)
        self.summaryLabel.setText(
            f"{report.reads:,} reads from {report.cameras} camera"
            f"{'' if report.cameras == 1 else 's'}: "
            + (f"{n} signal{'' if n == 1 else 's'} to look at." if n else "nothing unusual."))
        if n:
            self.table.selectRow(0)

    def clear_data(self) -> None:
        self.model.clear()

    def open_problem(self) -> ProblemDialog | None:
        s = self.selected()
        if s is None:
            return None
        dialog = ProblemDialog(self, self.controller, self.cameras,
                               s.problem_draft(self.now_ms or _now_ms()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.problem_recorded)
        self.dialog = dialog
        dialog.open()
        return dialog


__all__ = ["SITE_ZONE", "CheckDialog", "HealthPanel", "MaintenanceLogView", "ProblemDialog"]
