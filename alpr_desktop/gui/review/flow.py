"""From a file to a review window: unlock with the passphrase, sign in, then the window.
Used by ``alpr-desktop --review PATH`` and by the open-store dialog when the file picked is an
extract."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from alpr_desktop.core.clock import Clock
from alpr_desktop.core.extract import EXTRACT_SUFFIX, Reviewer
from alpr_desktop.gui.review.review_window import ReviewWindow
from alpr_desktop.gui.review.sign_in_dialog import ReviewSignInDialog
from alpr_desktop.gui.review.unlock_dialog import ReviewUnlockDialog
from alpr_desktop.services.review_extract_mode import ReviewSession

_windows: list[ReviewWindow] = []  # kept alive while open


def is_extract(path: Path | str) -> bool:
    return Path(path).name.endswith(EXTRACT_SUFFIX)


def start_review(path: Path | str, parent: QWidget | None = None, *,
                 clock: Clock | None = None) -> ReviewUnlockDialog:
    """Open the unlock dialog for ``path`` (non-blocking); returns it so callers and tests
    can drive it. The sign-in dialog and the window follow on success."""
    dialog = ReviewUnlockDialog(Path(path), parent, clock=clock)
    dialog.opened.connect(lambda session: _sign_in(session, parent))
    dialog.open()
    return dialog


def _sign_in(session: ReviewSession, parent: QWidget | None) -> ReviewSignInDialog:
    dialog = ReviewSignInDialog(session, parent)
    dialog.signed_in.connect(lambda reviewer: show_window(session, reviewer))
    dialog.rejected.connect(session.close)
    dialog.open()
    return dialog


def show_window(session: ReviewSession, reviewer: Reviewer) -> ReviewWindow:
    window = ReviewWindow(session, reviewer)
    _windows.append(window)
    window.closed.connect(lambda: _windows.remove(window) if window in _windows else None)
    window.resize(1024, 700)
    window.show()
    return window
