"""The reviewer signs in to an extract: the name and organization on the release record and a
purpose, checked by the same rules as an analyst's (core.purpose_rules), live as they type."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.extract import ExtractError
from alpr_desktop.core.purpose_rules import PurposeRejected, check_purpose
from alpr_desktop.core.purposes import OFFENSE_TYPES, PurposeCategory, PurposeInput
from alpr_desktop.gui import palette
from alpr_desktop.gui.accessibility import name_controls
from alpr_desktop.gui.errors import explain
from alpr_desktop.gui.workers import run_task
from alpr_desktop.services.review_extract_mode import ReviewSession

CHOOSE = "— choose —"


class ReviewSignInDialog(QDialog):
    signed_in = Signal(object)  # Reviewer

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        m = session.manifest
        self.setWindowTitle("Sign In to the Review Extract")
        intro = QLabel(
            f"Released for case {m.case_number}, until the end of {m.expires_on.isoformat()}. "
            "Sign in with your name and organization as they appear on the release record, "
            "and say why you are reviewing these reads (policy §1 and §5). Your purpose and "
            "every read you view are written to the extract's log, which goes back to the "
            "City of Carson.")
        intro.setWordWrap(True)
        self.nameEdit = QLineEdit()
        self.nameEdit.setObjectName("reviewerName")
        self.orgEdit = QLineEdit()
        self.orgEdit.setObjectName("reviewerOrganization")
        self.categoryCombo = QComboBox()
        self.categoryCombo.addItem(CHOOSE, None)
        for c in PurposeCategory:
            self.categoryCombo.addItem(c.label, c.value)
        self.offenseCombo = QComboBox()
        self.offenseCombo.addItem(CHOOSE, "")
        for o in OFFENSE_TYPES:
            self.offenseCombo.addItem(o, o)
        self.caseEdit = QLineEdit(m.case_number)
        self.narrativeEdit = QPlainTextEdit()
        self.narrativeEdit.setTabChangesFocus(True)
        self.narrativeEdit.setPlaceholderText(
            "What happened, where or when, and what you are looking for in these reads.")
        self.narrativeEdit.setFixedHeight(80)
        self.ackCheck = QCheckBox("I will use these reads only for the purpose stated here.")
        self.problemsLabel = QLabel()
        self.problemsLabel.setObjectName("signInProblems")
        self.problemsLabel.setWordWrap(True)
        self.problemsLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.errorLabel = QLabel()
        self.errorLabel.setObjectName("signInError")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.errorLabel.setStyleSheet(palette.text_style(palette.ERROR_TEXT, selector="QLabel"))
        self.errorLabel.hide()
        form = QFormLayout()
        for text, widget in (("&Name:", self.nameEdit), ("&Organization:", self.orgEdit),
                             ("Purpose &category:", self.categoryCombo),
                             ("O&ffense:", self.offenseCombo),
                             ("Case &number:", self.caseEdit),
                             ("Na&rrative:", self.narrativeEdit)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.ackCheck)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.signInButton = self.buttons.addButton("&Sign In",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.signInButton.setDefault(True)
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.problemsLabel)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)
        for signal in (self.nameEdit.textChanged, self.orgEdit.textChanged,
                       self.caseEdit.textChanged, self.narrativeEdit.textChanged,
                       self.categoryCombo.currentIndexChanged,
                       self.offenseCombo.currentIndexChanged, self.ackCheck.toggled):
            signal.connect(self._update)
        name_controls(self)
        self.nameEdit.setFocus()
        self._update()
        self.resize(620, self.sizeHint().height())

    def purpose_input(self) -> PurposeInput:
        return PurposeInput(
            category=self.categoryCombo.currentData() or "",
            offense=self.offenseCombo.currentData() or "", case_number=self.caseEdit.text(),
            narrative=self.narrativeEdit.toPlainText(), acknowledged=self.ackCheck.isChecked())

    def problems(self) -> list[str]:
        out = []
        if not self.nameEdit.text().strip():
            out.append("Type your name as on the release record.")
        if not self.orgEdit.text().strip():
            out.append("Type your organization as on the release record.")
        out += [p.message for p in check_purpose(self.purpose_input())]
        return out

    def _update(self) -> None:
        problems = self.problems()
        self.problemsLabel.setText("\n".join(f"• {p}" for p in problems[:4]))
        self.problemsLabel.setVisible(bool(problems))
        self.signInButton.setEnabled(not problems)

    def sign_in(self) -> None:
        if self.problems():
            return
        self.buttons.setEnabled(False)
        run_task(self.session.sign_in, self.nameEdit.text(), self.orgEdit.text(),
                 self.purpose_input(), on_result=self._done, on_error=self._failed)

    def _done(self, reviewer: object) -> None:
        if shiboken6.isValid(self):
            self.signed_in.emit(reviewer)
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.buttons.setEnabled(True)
        known = isinstance(exc, ExtractError | PurposeRejected)
        self.errorLabel.setText(str(exc) if known else explain(exc).sentence)
        self.errorLabel.show()
