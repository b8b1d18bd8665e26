"""Training and account hygiene (issue 17): who may search, and who should no longer.

Administrators record the day each analyst was trained on the policy, set the training period
and the unused-account limit, and separate an account in one click when its holder leaves the
agency. Custodians confirm recorded training (only then does it count). The services check
every right again and log each step.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from alpr_desktop.core.clock import SITE_ZONE, format_local
from alpr_desktop.core.roles import Role
from alpr_desktop.core.training import (
    MAX_TRAINING_MONTHS,
    MAX_UNUSED_DAYS,
    MIN_TRAINING_MONTHS,
    MIN_UNUSED_DAYS,
    TrainingState,
    TrainingStatus,
)
from alpr_desktop.gui.access_feedback import show_problem
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form
from alpr_desktop.gui.models.table import Column, RowsModel
from alpr_desktop.gui.views.table_screen import TableScreen
from alpr_desktop.services.training import TrainingService

TITLE = "<h3>Policy training and account hygiene</h3>"
HINT = (
    "An analyst searches only with policy training that a custodian has confirmed and that is "
    "not older than the training period. Accounts unused for longer than the limit are "
    "suspended automatically; an administrator re-enables them (an analyst's also needs the "
    "custodian's approval)."
)
STATE_WORDS = {
    TrainingState.CURRENT: "current",
    TrainingState.MISSING: "missing — cannot search",
    TrainingState.EXPIRED: "expired — cannot search",
}


def _py_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _day(ms: int | None) -> str:
    return format_local(ms)[:10] if ms else "—"


class TrainingModel(RowsModel[TrainingStatus]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Analyst", lambda s: s.username),
            Column("Training", lambda s: STATE_WORDS[s.state]),
            Column("Trained on", lambda s: _day(s.trained_ms)),
            Column("Renew by", lambda s: _day(s.due_ms)),
            Column("Waiting for a custodian",
                   lambda s: (f"{_day(s.pending.trained_ms)} recorded by "
                              f"{s.pending.recorded_by}") if s.pending else ""),
        )


def day_start_ms(day: QDate) -> int:
    """Noon of ``day`` in the site's zone, as UTC ms (a day, not an instant)."""
    local = datetime.combine(_py_date(day), time(12), tzinfo=SITE_ZONE)
    return int(local.astimezone(UTC).timestamp() * 1000)


class TrainingDialog(_ServiceDialog):
    """Record the day an analyst was trained (administrator)."""

    def __init__(self, parent: QWidget | None, controller: Controller,
                 username: str) -> None:
        super().__init__(parent, controller)
        self.username = username
        self.setWindowTitle(f"Record Policy Training: {username}")
        self.dateEdit = QDateEdit(QDate.currentDate())
        self.dateEdit.setCalendarPopup(True)
        self.dateEdit.setDisplayFormat("yyyy-MM-dd")
        self.dateEdit.setMaximumDate(QDate.currentDate())
        self.courseEdit = QLineEdit("City of Carson ALPR Usage and Privacy Policy")
        self.courseEdit.setMaxLength(200)
        note = QLabel("The training counts once a custodian has confirmed it.")
        note.setWordWrap(True)
        self._lay_out(labelled_form((("Trained &on:", self.dateEdit),
                                     ("&Course:", self.courseEdit))), note,
                      ok_text="&Record")

    def work(self) -> Any:
        day, course, name = day_start_ms(self.dateEdit.date()), self.courseEdit.text(), \
            self.username
        return lambda s, ctx: s.training.record(
            ctx, name, day, course)


class SeparateDialog(_ServiceDialog):
    """One-click deactivation of an account whose holder left the agency (administrator)."""

    def __init__(self, parent: QWidget | None, controller: Controller,
                 username: str) -> None:
        super().__init__(parent, controller)
        self.username = username
        self.setWindowTitle(f"Separate {username} from the Agency")
        text = QLabel(f"<b>{username}</b> is deactivated at once: the account cannot sign in, "
                      "its open purpose ends and its key slot is removed. Its history stays.")
        text.setWordWrap(True)
        self.noteEdit = QLineEdit()
        self.noteEdit.setMaxLength(300)
        self.noteEdit.setPlaceholderText("e.g. retired 2026-03-31, notice from LASD personnel")
        self._lay_out(text, labelled_form((("&Note:", self.noteEdit),)),
                      ok_text="&Deactivate Now")

    def work(self) -> Any:
        name, note = self.username, self.noteEdit.text()
        return lambda s, ctx: s.hygiene.separate(
            ctx, name, note)


class TrainingView(TableScreen):
    model: TrainingModel

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, parent)
        roles = controller.session.roles if controller.session else frozenset()
        self.is_admin = Role.ADMIN in roles
        self.is_custodian = Role.CUSTODIAN in roles
        self.recordButton = QPushButton("&Record Training…")
        self.recordButton.clicked.connect(self.record)
        self.confirmButton = QPushButton("&Confirm Training")
        self.confirmButton.clicked.connect(self.confirm)
        self.separateButton = QPushButton("&Separate…")
        self.separateButton.setToolTip("Deactivate at once: the person left the agency")
        self.separateButton.clicked.connect(self.separate)
        buttons = [b for b, show in ((self.recordButton, self.is_admin),
                                     (self.separateButton, self.is_admin),
                                     (self.confirmButton, self.is_custodian)) if show]
        for b in (self.recordButton, self.confirmButton, self.separateButton):
            b.setVisible(b in buttons)
        self._build(TITLE, TrainingModel(self), buttons)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self._layout().insertWidget(1, hint)
        self.monthsSpin = QSpinBox()
        self.monthsSpin.setRange(MIN_TRAINING_MONTHS, MAX_TRAINING_MONTHS)
        self.monthsSpin.setSuffix(" months")
        self.monthsSpin.setAccessibleName("Training period")
        self.daysSpin = QSpinBox()
        self.daysSpin.setRange(MIN_UNUSED_DAYS, MAX_UNUSED_DAYS)
        self.daysSpin.setSuffix(" days")
        self.daysSpin.setAccessibleName("Suspend accounts unused for")
        self.saveSettingsButton = QPushButton("Sa&ve Settings")
        self.saveSettingsButton.clicked.connect(self.save_settings)
        settings = QHBoxLayout()
        for text, w in (("Training period:", self.monthsSpin),
                        ("Suspend accounts unused for:", self.daysSpin)):
            label = QLabel(text)
            label.setBuddy(w)
            settings.addWidget(label)
            settings.addWidget(w)
        settings.addWidget(self.saveSettingsButton)
        settings.addStretch(1)
        for control in (self.monthsSpin, self.daysSpin, self.saveSettingsButton):
            control.setEnabled(self.is_admin)
        self._layout().insertLayout(2, settings)

    def _svc(self, s: Any) -> TrainingService:
        return s.training

    def _layout(self) -> QVBoxLayout:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        return layout

    def _problem(self, exc: BaseException) -> None:
        show_problem(self, exc)

    def refresh(self) -> None:
        def loaded(result: tuple[list[TrainingStatus], Any]) -> None:
            statuses, settings = result
            self.model.set_rows(statuses)
            self.monthsSpin.setValue(settings.training_months)
            self.daysSpin.setValue(settings.unused_days)
            blocked = sum(1 for s in statuses if s.state is not TrainingState.CURRENT)
            waiting = sum(1 for s in statuses if s.pending)
            self.statusLabel.setText(
                f"{len(statuses)} analyst{'' if len(statuses) == 1 else 's'}; {blocked} "
                f"cannot search; {waiting} training record{'' if waiting == 1 else 's'} "
                "waiting for a custodian.")

        self.controller.run(lambda s, ctx: (self._svc(s).statuses(ctx),
                                            self._svc(s).hygiene_settings(ctx)),
                            loaded, self._problem)

    def selected(self) -> TrainingStatus | None:
        return super().selected()

    def _update_buttons(self) -> None:
        s = self.selected()
        self.recordButton.setEnabled(s is not None)
        self.separateButton.setEnabled(s is not None)
        self.confirmButton.setEnabled(s is not None and s.pending is not None)

    def record(self) -> TrainingDialog | None:
        s = self.selected()
        if s is None:
            return None
        return self._open(TrainingDialog(self, self.controller, s.username),
                          lambda _r: self.refresh())

    def separate(self) -> SeparateDialog | None:
        s = self.selected()
        if s is None:
            return None
        return self._open(SeparateDialog(self, self.controller, s.username),
                          lambda _r: self.refresh())

    def confirm(self) -> None:
        s = self.selected()
        if s is None or s.pending is None:
            return
        att_id = s.pending.id
        self.controller.run(lambda sv, ctx: self._svc(sv).confirm(ctx, att_id),
                            lambda _r: self.refresh(), self._problem)

    def save_settings(self) -> None:
        months, days = self.monthsSpin.value(), self.daysSpin.value()

        def saved(_r: object) -> None:
            self.statusLabel.setText("Settings saved (logged).")

        self.controller.run(
            lambda s, ctx: self._svc(s).set_hygiene_settings(ctx, months, days),
            saved, self._problem)
