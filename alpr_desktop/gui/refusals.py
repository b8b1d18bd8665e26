"""Refusals of the access rules told as a sentence and what to do (no Qt).

An access refusal (wrong password, no purpose, not allowed) is an expected answer, not a
fault: it gets its own advice here and is never logged as an unexpected error. gui/errors.py
asks this module first; gui/access_feedback.py shows the answer.
"""

from __future__ import annotations

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
from alpr_desktop.core.extract import ExtractError
from alpr_desktop.core.plates import PlateError
from alpr_desktop.core.purpose_rules import PurposeRejected
from alpr_desktop.gui.explanation import Explanation
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

_EXPECTED = (AccessError, PurposeRejected, SettingRejected, PlateError, ExtractError)


def is_expected(exc: BaseException) -> bool:
    return isinstance(exc, _EXPECTED)


def explain_access(exc: BaseException) -> Explanation | None:
    """The sentence and advice for an access refusal, or None for any other error."""
    if not is_expected(exc):
        return None
    advice = next((a for cls, a in _ADVICE if isinstance(exc, cls)), "")
    return Explanation(str(exc), advice)
