"""Dialogs of the sharing screens: register an agency, record a request, prepare a response.
Each is window-modal and non-blocking (``open()``); ``saved`` carries what was entered and the
service checks it again (a refusal comes back into the dialog as a sentence)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from alpr_desktop.core.agencies import Agency, AgencyInput, AgencyKind, Jurisdiction
from alpr_desktop.core.agencies_requests import RequestInput, SharingRequest, parse_read_ids
from alpr_desktop.core.clock import SITE_ZONE
from alpr_desktop.core.purposes import OFFENSE_TYPES
from alpr_desktop.gui.dialogs.retention_dialogs import NoteDialog, _Form


def _text_box(height: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    return box


class AgencyDialog(_Form):
    saved = Signal(object)  # AgencyInput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Register Agency",
            "Only California state or local law-enforcement and prosecutorial agencies may "
            "receive ALPR data (policy §1; AG bulletin 2023-DLE-06). Register the agency as it "
            "is; approving it as a recipient is a separate step, and the program refuses to "
            "approve a federal, out-of-state or private recipient.", parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Long Beach Police Department")
        self.kind = QComboBox()
        for k in AgencyKind:
            self.kind.addItem(k.label, k.value)
        self.jurisdiction = QComboBox()
        for j in Jurisdiction:
            self.jurisdiction.addItem(j.label, j.value)
        self.jurisdiction.setCurrentIndex(1)  # California local, the usual case
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. County of Los Angeles")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("records unit, address, phone")
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Kind", self.kind)
        self.form.addRow("&Jurisdiction", self.jurisdiction)
        self.form.addRow("Jurisdiction &detail", self.note)
        self.form.addRow("&Contact", self.contact)

    def _ok(self) -> None:
        self.buttons.setEnabled(False)
        self.saved.emit(AgencyInput(self.name.text(), str(self.kind.currentData()),
                                    str(self.jurisdiction.currentData()), self.contact.text(),
                                    self.note.text()))


class RequestDialog(_Form):
    saved = Signal(object)  # RequestInput

    def __init__(self, agencies: list[Agency], now_ms: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            "Record Agency Request",
            "Record the request as the agency made it. Its purpose is checked by the same "
            "rules as a search: a case number, the offense, and what happened, where or when, "
            "and what is sought, in the requester's words.", parent)
        self.setMinimumWidth(560)
        self.agency = QComboBox()
        for a in agencies:
            self.agency.addItem(a.name, a.id)
        self.requester = QLineEdit()
        self.requester.setPlaceholderText("first and last name")
        self.badge = QLineEdit()
        self.contact = QLineEdit()
        self.case = QLineEdit()
        self.case.setPlaceholderText("their case number, e.g. LBPD-2026-004512")
        self.offense = QComboBox()
        self.offense.addItem("", "")
        for o in OFFENSE_TYPES:
            self.offense.addItem(o, o)
        self.purpose = _text_box(80, "What happened, where or when, and what the reads should "
                                     "show, as the requester wrote it")
        self.asked = _text_box(60, "Plates, dates, places asked for")
        site = QTimeZone(SITE_ZONE.key.encode())
        self.received = QDateTimeEdit(QDateTime.fromMSecsSinceEpoch(now_ms, site))
        if hasattr(self.received, "setTimeZone"):  # Qt 6.7: edit in the site's zone
            self.received.setTimeZone(site)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.form.addRow("&Agency", self.agency)
        self.form.addRow("&Requester", self.requester)
        self.form.addRow("&Badge or bar number", self.badge)
        self.form.addRow("C&ontact", self.contact)
        self.form.addRow("Their &case number", self.case)
        self.form.addRow("O&ffense", self.offense)
        self.form.addRow("&Purpose", self.purpose)
        self.form.addRow("&What was asked for", self.asked)
        self.form.addRow("Recei&ved (site time)", self.received)

    def _ok(self) -> None:
        if self.agency.count() == 0:
            self.show_problem("No agency is approved yet: register and approve it on the "
                              "Agencies screen first.")
            return
        self.buttons.setEnabled(False)
        self.saved.emit(RequestInput(
            int(self.agency.currentData()), self.requester.text(), self.badge.text(),
            self.contact.text(), self.case.text(), str(self.offense.currentData()),
            self.purpose.toPlainText(), self.asked.toPlainText(),
            int(self.received.dateTime().toMSecsSinceEpoch())))


class PrepareDialog(_Form):
    saved = Signal(object, str)  # list of read ids, note

    def __init__(self, request: SharingRequest, parent: QWidget | None = None) -> None:
        super().__init__(
            "Prepare Response",
            f"Request #{request.id} from {request.agency_name} (their case "
            f"{request.case_number}) asks for: {request.asked_for}\n\nYour purpose is now this "
            "request's. Name the reads that answer it (read numbers from the Investigation "
            "screen); the custodian approves the response before anything leaves.", parent)
        self.reads = QLineEdit(", ".join(str(i) for i in request.read_ids))
        self.reads.setPlaceholderText("e.g. 1201, 1207, 1300-1305")
        self.note = _text_box(60, "How the reads were found (optional)")
        self.form.addRow("&Reads", self.reads)
        self.form.addRow("&Note", self.note)

    def _ok(self) -> None:
        try:
            ids = parse_read_ids(self.reads.text())
        except ValueError as exc:
            self.show_problem(str(exc))
            return
        if not ids:
            self.show_problem("Name at least one read.")
            return
        self.buttons.setEnabled(False)
        self.saved.emit(ids, self.note.toPlainText())


class SharingNoteDialog(NoteDialog):
    """The note of a decision on the sharing screens (its own class for F1 help)."""
