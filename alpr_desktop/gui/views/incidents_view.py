"""The custodian's incident register, breach notices and the public transparency report
(issue 17; policy §10, Civil Code 1798.29; the policy's preamble).

Recording an incident is a form whose service call refuses bad input with sentences and
changes nothing; the notice and the report are built on a worker and written owner-only
(the custodian publishes them deliberately). Each is logged by its service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import SITE_ZONE, format_local
from alpr_desktop.core.incidents import AG_SAMPLE_THRESHOLD, Incident, IncidentInput
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form
from alpr_desktop.gui.dialogs.audit_report_dialog import default_report_dir, open_with_system
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.gui.views.table_screen import TableScreen
from alpr_desktop.services.incidents import NoticeResult
from alpr_desktop.services.transparency import TransparencyResult

TITLE = "<h3>Incidents, breach notices and the transparency report</h3>"
HINT = (
    "Record each security incident when it is discovered. From an incident, build the "
    "“Notice of Data Breach” (Civil Code 1798.29). The transparency report is for the public: "
    "counts only, no plate, name or case number."
)


def _py_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _day(ms: int | None) -> str:
    return format_local(ms)[:10] if ms else "—"


def date_ms(day: QDate, end_of_day: bool = False) -> int:
    """The start (or the last millisecond) of ``day`` in the site's zone, as UTC ms."""
    t = time(23, 59, 59, 999_000) if end_of_day else time(0)
    local = datetime.combine(_py_date(day), t, tzinfo=SITE_ZONE)
    return int(local.astimezone(UTC).timestamp() * 1000)


class IncidentsModel(RowsModel[Incident]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("#", lambda i: str(i.id), align_right=True),
            Column("Discovered", lambda i: _day(i.discovered_ms)),
            Column("Breach", lambda i: f"{_day(i.breach_from_ms)} – {_day(i.breach_to_ms)}"),
            Column("People (CA)", lambda i: f"{i.people_affected:,} ({i.california_residents:,})",
                   align_right=True),
            Column("Encrypted", lambda i: ("yes, key exposed" if i.key_exposed else "yes")
                   if i.encrypted else "no"),
            Column("Attorney General", lambda i: "sample required" if i.ag_sample_required
                   else ""),
            Column("Notice", lambda i: _day(i.notice_ms) if i.notice_ms else "not yet"),
            Column("What happened", lambda i: " ".join(i.what_happened.split())[:80],
                   tooltip=lambda i: i.what_happened),
        )


def _date_edit(day: QDate | None = None) -> QDateEdit:
    edit = QDateEdit(day or QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _text_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(58)
    return edit


class IncidentDialog(_ServiceDialog):
    """Record an incident (custodian)."""

    def __init__(self, parent: QWidget | None, controller: Controller) -> None:
        super().__init__(parent, controller)
        self.setWindowTitle("Record a Security Incident")
        self.discoveredEdit = _date_edit()
        self.fromEdit = _date_edit()
        self.toEdit = _date_edit()
        self.whatEdit = _text_edit("What happened, how it was found")
        self.dataEdit = _text_edit("Which data: reads, images, exports, the log…")
        self.dataFromEdit = _date_edit()
        self.dataToEdit = _date_edit()
        self.dataPeriodCheck = QCheckBox("The period of the data is known:")
        self.encryptedCheck = QCheckBox("The data was &encrypted")
        self.keyCheck = QCheckBox("The encryption &key was or may have been exposed")
        self.peopleSpin = QSpinBox()
        self.peopleSpin.setRange(0, 100_000_000)
        self.residentsSpin = QSpinBox()
        self.residentsSpin.setRange(0, 100_000_000)
        self.actionsEdit = _text_edit("What the City has done and will do")
        self.contactEdit = QLineEdit()
        self.contactEdit.setMaxLength(500)
        self.contactEdit.setPlaceholderText("Who to contact: office, telephone, address")
        breach = QHBoxLayout()
        breach.addWidget(self.fromEdit)
        breach.addWidget(QLabel("to"))
        breach.addWidget(self.toEdit)
        breach.addStretch(1)
        period = QHBoxLayout()
        period.addWidget(self.dataPeriodCheck)
        period.addWidget(self.dataFromEdit)
        period.addWidget(QLabel("to"))
        period.addWidget(self.dataToEdit)
        period.addStretch(1)
        form = labelled_form((
            ("&Discovered on:", self.discoveredEdit), ("&What happened:", self.whatEdit),
            ("Which &data:", self.dataEdit), ("&People affected:", self.peopleSpin),
            ("California &residents:", self.residentsSpin),
            ("&Actions taken:", self.actionsEdit), ("&Contact:", self.contactEdit),
        ))
        form.insertRow(1, "Breach from:", breach)
        form.insertRow(4, "", period)
        form.insertRow(5, "", self.encryptedCheck)
        form.insertRow(6, "", self.keyCheck)
        note = QLabel(f"More than {AG_SAMPLE_THRESHOLD} California residents: a sample of the "
                      "notice goes to the Attorney General (flagged in the list).")
        note.setWordWrap(True)
        self._lay_out(form, note, ok_text="&Record")

    def value(self) -> IncidentInput:
        known = self.dataPeriodCheck.isChecked()
        return IncidentInput(
            discovered_ms=date_ms(self.discoveredEdit.date(), end_of_day=True),
            breach_from_ms=date_ms(self.fromEdit.date()),
            breach_to_ms=date_ms(self.toEdit.date(), end_of_day=True),
            what_happened=self.whatEdit.toPlainText(),
            data_involved=self.dataEdit.toPlainText(),
            encrypted=self.encryptedCheck.isChecked(),
            key_exposed=self.keyCheck.isChecked(),
            people_affected=self.peopleSpin.value(),
            california_residents=self.residentsSpin.value(),
            actions_taken=self.actionsEdit.toPlainText(),
            contact=self.contactEdit.text(),
            data_from_ms=date_ms(self.dataFromEdit.date()) if known else None,
            data_to_ms=date_ms(self.dataToEdit.date(), end_of_day=True) if known else None,
        )

    def work(self) -> Any:
        value = self.value()
        return lambda s, ctx: s.incidents.record(ctx, value)


class TransparencyDialog(_ServiceDialog):
    """The period and the file of the public transparency report (custodian)."""

    def __init__(self, parent: QWidget | None, controller: Controller,
                 folder: Path) -> None:
        super().__init__(parent, controller)
        self.setWindowTitle("Public Transparency Report")
        today = QDate.currentDate()
        self.fromEdit = _date_edit(QDate(today.year() - 1, 1, 1))
        self.toEdit = _date_edit(QDate(today.year() - 1, 12, 31))
        self.pathEdit = QLineEdit(str(folder / f"alpr-transparency-{today.year() - 1}.pdf"))
        text = QLabel("A PDF and a CSV of the same figures (written beside it): cameras, reads "
                      "collected and purged, searches by purpose and offense, refused searches, "
                      "disclosures by agency, holds, maintenance, the audit chain and the "
                      "retention setting. Counts only: nothing that identifies a plate or a "
                      "person.")
        text.setWordWrap(True)
        self._lay_out(text, labelled_form((("&From:", self.fromEdit), ("&To:", self.toEdit),
                                           ("&Save as:", self.pathEdit))),
                      ok_text="&Create Report")

    def work(self) -> Any:
        start, end = date_ms(self.fromEdit.date()), date_ms(self.toEdit.date(), True)
        if end < start:
            self.show_failure("The period ends before it begins.")
            return None
        path = Path(self.pathEdit.text().strip()).expanduser()
        if not path.name or path.suffix.lower() != ".pdf":
            self.show_failure("Save the report as a .pdf file.")
            return None
        return lambda s, ctx: s.transparency.build(
            ctx, start, end, path)


def ask_notice_path(parent: QWidget, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save Notice of Data Breach", suggested,
                                          "PDF documents (*.pdf)")
    return path or None


class IncidentsView(TableScreen):
    model: IncidentsModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        self.folder = default_report_dir()
        self.ask_path: Callable[[QWidget, str], str | None] = ask_notice_path
        self.open_file: Callable[[Path], object] = open_with_system
        self.recordButton = QPushButton("&Record Incident…")
        self.recordButton.clicked.connect(self.record)
        self.noticeButton = QPushButton("&Notice of Data Breach…")
        self.noticeButton.clicked.connect(self.notice)
        self.reportButton = QPushButton("&Transparency Report…")
        self.reportButton.clicked.connect(self.transparency)
        self._build(TITLE, IncidentsModel(self),
                    (self.recordButton, self.noticeButton, self.reportButton))
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self._layout().insertWidget(1, hint)
        self.last_notice: NoticeResult | None = None
        self.last_report: TransparencyResult | None = None

    def _layout(self) -> QVBoxLayout:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        return layout

    def _problem(self, exc: BaseException) -> None:
        show_problem(self, exc)

    def refresh(self) -> None:
        self.controller.run(
            lambda s, ctx: s.incidents.list_incidents(ctx),
            self._loaded, self._problem)

    def _loaded(self, incidents: list[Incident]) -> None:
        self.model.set_rows(incidents)
        if incidents:
            self.table.selectRow(0)
        flagged = sum(1 for i in incidents if i.ag_sample_required)
        self.statusLabel.setText(
            f"{len(incidents)} incident{'' if len(incidents) == 1 else 's'} recorded"
            + (f"; {flagged} need a sample notice sent to the Attorney General." if flagged
               else "."))

    def selected(self) -> Incident | None:
        return super().selected()

    def _update_buttons(self) -> None:
        self.noticeButton.setEnabled(self.selected() is not None)

    def record(self) -> IncidentDialog:
        return self._open(IncidentDialog(self, self.controller), lambda _r: self.refresh())

    def notice(self) -> None:
        inc = self.selected()
        if inc is None:
            return
        name = self.ask_path(self, str(self.folder / f"notice-of-data-breach-{inc.id}.pdf"))
        if not name:
            return
        path, inc_id = Path(name), inc.id

        def done(result: NoticeResult) -> None:
            self.last_notice = result
            flag = (" A sample of it must go to the Attorney General (more than "
                    f"{AG_SAMPLE_THRESHOLD} California residents)."
                    if result.ag_sample_required else "")
            self.statusLabel.setText(f"Notice saved: {result.path}.{flag}")
            self.refresh()

        self.controller.run(
            lambda s, ctx: s.incidents.build_notice(
                ctx, inc_id, path), done, self._problem)

    def transparency(self) -> TransparencyDialog:
        def saved(result: object) -> None:
            if isinstance(result, TransparencyResult):
                self.last_report = result
                self.statusLabel.setText(
                    f"Transparency report saved: {result.pdf} and {result.csv.name}.")

        return self._open(TransparencyDialog(self, self.controller, self.folder), saved)
