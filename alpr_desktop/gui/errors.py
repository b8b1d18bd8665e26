"""Every failure the user meets is told as a sentence and what to do (DESIGN rule 8).

Typed errors carry their own sentence (``str(exc)``) and ``advice``; anything else gets a
generic sentence, with the technical detail behind "Show Details…" for whoever supports the
user. Tracebacks go to the log, never into the dialog.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from alpr_desktop.gui.explanation import Explanation
from alpr_desktop.gui.refusals import explain_access
from alpr_desktop.services import failures
from alpr_desktop.services.failures import (
    KeyCustodyError,
    StoreError,
    WeakPassphrase,
    WrongPassphrase,
)

__all__ = ["Explanation", "explain", "show_error"]

log = logging.getLogger(__name__)

GENERIC_SENTENCE = "Something went wrong that the program did not expect."
GENERIC_ADVICE = (
    "Nothing was changed. Try again; if it happens again, tell your system administrator what "
    "you were doing and the details below."
)

_KEY_ADVICE: dict[type[KeyCustodyError], str] = {
    WrongPassphrase: "Check the passphrase and try again; it is case-sensitive.",
    WeakPassphrase: "Choose a stronger passphrase, for example four or five unrelated words.",
    failures.KeyFileError: (
        "Keep the key file (the store's name followed by .key) beside the store; restore it "
        "from a backup if it is lost or damaged."
    ),
}


def explain(exc: BaseException) -> Explanation:
    """The sentence, advice and (for unexpected errors only) details for ``exc``."""
    if isinstance(exc, StoreError):
        return Explanation(str(exc), exc.advice)
    if isinstance(exc, KeyCustodyError):
        advice = next(
            (a for cls, a in _KEY_ADVICE.items() if isinstance(exc, cls)),
            getattr(exc, "advice", "Unlock with the store's recovery passphrase."),
        )
        return Explanation(str(exc), advice)
    access = explain_access(exc)
    if access is not None:
        return access
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return Explanation(
            f"A file could not be read or written{where}: {exc.strerror or exc}.",
            "Check the location, the free disk space and your permissions, then try again.",
        )
    log.error("unexpected error", exc_info=exc)
    return Explanation(GENERIC_SENTENCE, GENERIC_ADVICE, f"{type(exc).__name__}: {exc}")


def show_error(
    parent: QWidget | None, exc: BaseException, *, title: str = "Cannot continue"
) -> QMessageBox:
    """Show ``exc`` in a window-modal message box without blocking (``open()``, not ``exec()``)
    and return the box, so callers chain on ``finished`` and tests can read and close it."""
    ex = explain(exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(ex.sentence)
    box.setInformativeText(ex.advice)
    if ex.details:
        box.setDetailedText(ex.details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    box.setEscapeButton(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
