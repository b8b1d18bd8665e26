"""Refusals of the access rules told as a sentence and what to do.

gui/errors.py explains storage and key errors; an access refusal (wrong password, no purpose,
not allowed) is an expected answer, not a fault, so it gets its own advice here and is never
logged as an unexpected error. Everything else goes to errors.show_error.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from alpr_desktop.core.access_errors import (
    AccessError,
    AccountInvalid,
    AccountLocked,
    BadCredentials,
    NotAuthorized,
    NotSignedIn,
    PasswordChangeRequired,
    PasswordRejected,
    PermissionInvalid,
    PurposeRequired,
    SessionLocked,
)
from alpr_desktop.core.plates import PlateError
from alpr_desktop.core.purpose_rules import PurposeRejected
from alpr_desktop.gui.errors import Explanation, show_error
from alpr_desktop.services.settings import SettingRejected

_ADVICE: tuple[tuple[type[BaseException], str], ...] = (
    (SessionLocked, "Enter your password on the lock screen to continue."),
    (NotSignedIn, "Sign in again to continue."),
    (PurposeRequired, "Declare the purpose of the investigation, then search again."),
    (PasswordChangeRequired, "Choose a new password with Session › Change Password."),
    (NotAuthorized, "Ask the custodian or an administrator if you need this access."),
    (BadCredentials, "Check the username and password; the password is case-sensitive."),
    (AccountLocked, "Wait, or ask an administrator to release the lock."),
    (PasswordRejected, "Choose another password."),
    (AccountInvalid, "Correct the entries and save again."),
    (PermissionInvalid, "Correct the entries and save again."),
    (PurposeRejected, "Complete the purpose as the list says."),
    (SettingRejected, "Correct the value and save again."),
    (PlateError, "Type the plate as it appears: letters and digits."),
)

_EXPECTED = (AccessError, PurposeRejected, SettingRejected, PlateError)


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, _EXPECTED)


def explain_access(exc: BaseException) -> Explanation | None:
    """The sentence and advice for an access refusal, or None for any other error."""
    if not is_expected(exc):
        return None
    advice = next((a for cls, a in _ADVICE if isinstance(exc, cls)), "")
    return Explanation(str(exc), advice)


def show_problem(
    parent: QWidget | None, exc: BaseException, *, title: str = "Not Done"
) -> QMessageBox | None:
    """Tell the user why ``exc`` stopped them, without blocking. Session ends and locks are
    shown by the lock screen itself, so they open no box (None)."""
    if isinstance(exc, NotSignedIn):
        return None
    ex = explain_access(exc)
    if ex is None:
        return show_error(parent, exc, title=title)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(ex.sentence)
    box.setInformativeText(ex.advice)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("problemBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
