"""The purpose gate's dialog (policy §1, §3, §5): no search before a valid purpose.

The rules are the core's (purpose_rules.check_purpose), run live so the list under the form
always says what is still missing and Declare stays disabled until nothing is. The service
checks again on declare (also against other users' narratives) and its refusal is shown the
same way. Agency fields are used only for a request from another agency.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QWidget

from alpr_desktop.core.accounts import WrittenPermission
from alpr_desktop.core.clock import format_local
from alpr_desktop.core.purpose_rules import PurposeProblem, PurposeRejected, check_purpose
from alpr_desktop.core.purposes import (
    OFFENSE_TYPES,
    CaseFormat,
    Purpose,
    PurposeCategory,
    PurposeInput,
)
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.sign_in import failure_sentence
from alpr_desktop.gui.forms.ui_purpose import Ui_PurposeDialog

AUTHORIZED_USES = (
    "City of Carson ALPR policy §1: ALPR data may be used only to deter criminal activity and "
    "to aid law enforcement in the investigation and prosecution of possible crimes, by LASD "
    "or by another law-enforcement or prosecutorial agency on its request. All other uses are "
    "prohibited; ALPR data must never be used for personal purposes. This purpose and every "
    "search made under it are written to the access log."
)
CHOOSE = "— choose —"


def case_hint(formats: Sequence[CaseFormat]) -> str:
    parts = []
    for f in formats:
        example = f" e.g. {f.examples[0]}" if f.examples else ""
        parts.append(f"{f.label}{example}")
    return "Accepted: " + "; ".join(parts) if parts else ""


def permission_label(p: WrittenPermission) -> str:
    return f"{p.reference} — expires {format_local(p.expires_ms)}"


class PurposeDialog(QDialog):
    declared = Signal(object)  # ActivePurpose

    def __init__(
        self,
        parent: QWidget | None,
        controller: Controller,
        *,
        case_formats: Sequence[CaseFormat],
        permissions: Sequence[WrittenPermission] = (),
        current: Purpose | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_PurposeDialog()
        self.ui.setupUi(self)
        self.controller = controller
        self.case_formats = tuple(case_formats)
        self._busy = False
        self.problems: list[PurposeProblem] = []
        ui = self.ui
        ui.categoryCombo.addItem(CHOOSE, None)
        for category in PurposeCategory:
            ui.categoryCombo.addItem(category.label, category.value)
        ui.offenseCombo.addItem(CHOOSE, "")
        for offense in OFFENSE_TYPES:
            ui.offenseCombo.addItem(offense, offense)
        ui.caseHint.setText(case_hint(self.case_formats))
        ui.policyLabel.setText(AUTHORIZED_USES)
        for p in permissions:
            ui.permissionCombo.addItem(permission_label(p), p.id)
        ui.permissionCombo.setVisible(bool(permissions))
        ui.permissionLabel.setVisible(bool(permissions))
        ui.errorLabel.hide()
        self.ok_button.setText("&Declare Purpose")
        self.ok_button.setDefault(True)
        if current is not None:
            self._fill(current)
        ui.categoryCombo.currentIndexChanged.connect(self.recheck)
        ui.offenseCombo.currentIndexChanged.connect(self.recheck)
        for edit in (ui.caseEdit, ui.agencyEdit, ui.requesterEdit):
            edit.textChanged.connect(self.recheck)
        ui.narrativeEdit.textChanged.connect(self.recheck)
        ui.ackCheck.toggled.connect(self.recheck)
        ui.buttonBox.accepted.connect(self._submit)
        ui.buttonBox.rejected.connect(self.reject)
        self.recheck()
        ui.problemsList.setAccessibleName("Still needed before the search can start")
        name_controls(self)
        ui.categoryCombo.setFocus()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)

    def _fill(self, p: Purpose) -> None:
        ui = self.ui
        ui.categoryCombo.setCurrentIndex(max(0, ui.categoryCombo.findData(p.category.value)))
        ui.offenseCombo.setCurrentIndex(max(0, ui.offenseCombo.findData(p.offense)))
        ui.caseEdit.setText(p.case_number)
        ui.agencyEdit.setText(p.requesting_agency)
        ui.requesterEdit.setText(p.requester_name)
        ui.narrativeEdit.setPlainText(p.narrative)

    def category(self) -> PurposeCategory | None:
        """The chosen category (Qt hands a str-based enum back as a plain str)."""
        return PurposeCategory.parse(self.ui.categoryCombo.currentData())

    def entry(self) -> PurposeInput:
        ui = self.ui
        category = self.category()
        agency_request = category is PurposeCategory.AGENCY_REQUEST
        return PurposeInput(
            category=category if category is not None else "",
            offense=ui.offenseCombo.currentData() or "",
            case_number=ui.caseEdit.text(),
            narrative=ui.narrativeEdit.toPlainText(),
            acknowledged=ui.ackCheck.isChecked(),
            requesting_agency=ui.agencyEdit.text() if agency_request else "",
            requester_name=ui.requesterEdit.text() if agency_request else "",
        )

    def recheck(self) -> list[PurposeProblem]:
        """Run the core's rules on what is typed; list every problem; OK only when none."""
        ui = self.ui
        agency_request = self.category() is PurposeCategory.AGENCY_REQUEST
        for w in (ui.agencyEdit, ui.requesterEdit, ui.agencyLabel, ui.requesterLabel):
            w.setEnabled(agency_request)
        try:
            problems = check_purpose(self.entry(), case_formats=self.case_formats)
        except ValueError as exc:  # a broken configured case format: the admin must fix it
            problems = [PurposeProblem("case_number", f"The case-number settings are "
                                       f"invalid ({exc}); ask an administrator.", "config")]
        self._show_problems(problems)
        return problems

    def _show_problems(self, problems: Sequence[PurposeProblem]) -> None:
        self.problems = list(problems)
        ui = self.ui
        ui.problemsList.clear()
        for p in problems:
            ui.problemsList.addItem(p.message)
        ui.problemsList.setVisible(bool(problems))
        ui.problemsTitle.setVisible(bool(problems))
        self.ok_button.setEnabled(not problems and not self._busy)

    def _submit(self) -> None:
        if self._busy or self.recheck():
            return
        permission_id = (
            self.ui.permissionCombo.currentData() if self.ui.permissionCombo.count() else None
        )
        self._set_busy(True)
        self.controller.declare_purpose(self.entry(), permission_id, self._done, self._failed)

    def _done(self, purpose: object) -> None:
        self._set_busy(False)
        self.accept()
        self.declared.emit(purpose)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PurposeRejected):
            self._show_problems(exc.problems)
            self.ui.errorLabel.setText("The purpose was refused; see the list above.")
        else:
            self.ui.errorLabel.setText(failure_sentence(exc))
        self.ui.errorLabel.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok_button.setEnabled(not busy and not self.problems)
        self.ok_button.setText("Declaring…" if busy else "&Declare Purpose")
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        if not self._busy:
            super().reject()
