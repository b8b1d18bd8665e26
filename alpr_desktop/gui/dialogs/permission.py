"""The custodian records a contractor's written permission (policy §2), or revokes one.

Dates are entered as days in the site's zone: the data window runs from the start of its
first day to the end of its last, and the permission expires at the end of its expiry day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from alpr_desktop.core.accounts import Account, WrittenPermission
from alpr_desktop.core.clock import SITE_ZONE, to_local
from alpr_desktop.gui.controller import Controller
from alpr_desktop.gui.dialogs.account_edit import _ServiceDialog, labelled_form


def day_start_s(day: date) -> int:
    """UTC seconds of local midnight starting ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=SITE_ZONE).timestamp())


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class PermissionDialog(_ServiceDialog):
    def __init__(self, parent: QWidget | None, controller: Controller) -> None:
        super().__init__(parent, controller)
        self.setWindowTitle("Record Written Permission")
        today = to_local(controller.clock.now_ms() / 1000).date()
        intro = QLabel(
            "Record the City's written permission for a contractor to access ALPR data "
            "(policy §2). Enter it as the signed document says; every access under it is "
            "logged with its reference."
        )
        intro.setWordWrap(True)
        self.referenceEdit = QLineEdit()
        self.referenceEdit.setMaxLength(120)
        self.referenceEdit.setPlaceholderText("e.g. CC-2026-014 (letter of the City Manager)")
        # Pick an active contractor from the list, or type a username.
        self.contractorEdit = QComboBox()
        self.contractorEdit.setEditable(True)
        self.contractorEdit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        contractor_line = self.contractorEdit.lineEdit()
        assert contractor_line is not None  # an editable combo box has one
        contractor_line.setMaxLength(64)
        contractor_line.setPlaceholderText("the contractor's username")
        self.contractorEdit.setCurrentIndex(-1)
        self.coversEdit = QPlainTextEdit()
        self.coversEdit.setTabChangesFocus(True)
        self.coversEdit.setPlaceholderText("What the permission covers, in the document's words")
        self.coversEdit.setMaximumHeight(90)
        self.caseEdit = QLineEdit()
        self.caseEdit.setMaxLength(40)
        self.caseEdit.setPlaceholderText("optional: limits it to one case")
        self.fromEdit = _date_edit(today - timedelta(days=30))
        self.toEdit = _date_edit(today)
        self.expiresEdit = _date_edit(today + timedelta(days=30))
        form = labelled_form((
            ("Document &reference:", self.referenceEdit),
            ("&Contractor account:", self.contractorEdit),
            ("What it co&vers:", self.coversEdit),
            ("Case &number:", self.caseEdit),
            ("Data &from (day):", self.fromEdit),
            ("Data &to (day):", self.toEdit),
            ("&Expires at the end of:", self.expiresEdit),
        ))
        self._lay_out(intro, form, ok_text="&Record Permission")
        self.referenceEdit.setFocus()
        controller.run(lambda s, ctx: s.permissions.contractor_accounts(ctx),
                       self.set_contractors, lambda exc: None)  # typing still works

    def set_contractors(self, accounts: list[Account]) -> None:
        """Offer ``accounts`` in the contractor list, keeping whatever is already typed."""
        if not shiboken6.isValid(self):
            return
        combo = self.contractorEdit
        typed = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        for a in accounts:
            combo.addItem(a.username)
            combo.setItemData(combo.count() - 1, f"{a.full_name} — {a.organization}",
                              Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(-1)
        combo.setEditText(typed)
        combo.blockSignals(False)

    def work(self) -> Callable[[Any, Any], Any] | None:
        first, last, expiry = (e.date().toPython()
                               for e in (self.fromEdit, self.toEdit, self.expiresEdit))
        assert isinstance(first, date) and isinstance(last, date) and isinstance(expiry, date)
        values = {
            "reference": self.referenceEdit.text(),
            "contractor_username": self.contractorEdit.currentText(),
            "purpose": self.coversEdit.toPlainText(),
            "case_number": self.caseEdit.text(),
            "data_from": day_start_s(first),
            "data_to": day_start_s(last + timedelta(days=1)) - 1,
            "expires_ms": day_start_s(expiry + timedelta(days=1)) * 1000,
        }
        return lambda s, ctx: s.permissions.record(ctx, **values)


class RevokeDialog(_ServiceDialog):
    def __init__(
        self, parent: QWidget | None, controller: Controller, permission: WrittenPermission
    ) -> None:
        super().__init__(parent, controller)
        self.permission = permission
        self.setWindowTitle(f"Revoke Permission {permission.reference}")
        intro = QLabel(
            f"Revoke {permission.reference} of {permission.contractor_username} now. A purpose "
            "the contractor declared under it ends at once."
        )
        intro.setWordWrap(True)
        self.reasonEdit = QLineEdit()
        self.reasonEdit.setMaxLength(500)
        self._lay_out(intro, labelled_form((("&Reason:", self.reasonEdit),)), ok_text="Re&voke")
        self.reasonEdit.setFocus()

    def work(self) -> Callable[[Any, Any], Any] | None:
        pid, reason = self.permission.id, self.reasonEdit.text()
        return lambda s, ctx: s.permissions.revoke(ctx, pid, reason)
