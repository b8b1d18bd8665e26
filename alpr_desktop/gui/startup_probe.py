"""``ALPR_DESKTOP_STARTUP_PROBE=FILE``: say when the program is ready for its user, then quit.

The bundle's smoke test (installer/smoke_test.sh) and the cold-start figure in
docs/benchmarks.md start the real executable, which has no Python to drive it from inside.
With the variable set, the program starts as usual; as soon as the main window is up and
either a store is open or a dialog waits for the user (sign-in, first run), it writes one JSON
object to FILE (the wall-clock time, what was shown, the Qt platform) and quits the normal way.
Nothing of a store goes into the file: only window and dialog names."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

if TYPE_CHECKING:
    from alpr_desktop.gui.shell import Shell

ENV = "ALPR_DESKTOP_STARTUP_PROBE"
_POLL_MS = 10


def ready_state(shell: Shell) -> dict[str, object] | None:
    """What the user sees once the program waits for them; None while it is still starting
    (no window yet, the store being checked, the demo being built)."""
    window = shell.window
    if not window.isVisible():
        return None
    dialog = shell.dialog if isinstance(shell.dialog, QWidget) else None
    if shell.store is not None:
        waiting = "store open"
    elif dialog is not None and dialog.isVisible() and not isinstance(dialog, QProgressDialog):
        waiting = type(dialog).__name__
    else:
        return None
    return {"window": window.windowTitle(), "waiting": waiting,
            "store_open": shell.store is not None}


def install(app: QApplication, shell: Shell, env: dict[str, str] | None = None,
            quit: Callable[[], None] | None = None) -> QTimer | None:
    """Watch for readiness when the variable names a file; otherwise do nothing. ``quit``
    (the application's quit by default) ends the program once the file is written."""
    target = (os.environ if env is None else env).get(ENV)
    if not target:
        return None
    timer = QTimer(app)
    timer.setInterval(_POLL_MS)

    def check() -> None:
        state = ready_state(shell)
        if state is None:
            return
        timer.stop()
        app.processEvents()  # the window and dialog paint once before the clock stops
        state.update(ready_at=time.time(), platform=app.platformName())
        Path(target).write_text(json.dumps(state) + "\n", encoding="utf-8")
        (quit or app.quit)()

    timer.timeout.connect(check)
    timer.start()
    return timer
