"""Refusals of the access rules told as a sentence and what to do.

gui/refusals.py words an access refusal (an expected answer, not a fault); gui/errors.py
explains everything (refusals first). The imports go one way: access_feedback → errors →
refusals → explanation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from alpr_desktop.core.access_errors import NotSignedIn
from alpr_desktop.gui.errors import show_error
from alpr_desktop.gui.refusals import explain_access, is_expected

__all__ = ["explain_access", "is_expected", "show_problem"]


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
