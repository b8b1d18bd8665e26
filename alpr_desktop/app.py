"""Composition root of the GUI: the application, its settings, the main window and the shell
that leads from start-up to an open store. Logic lives in gui/; this module only wires it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from alpr_desktop.gui import startup_probe
from alpr_desktop.gui.application import create_application, open_settings
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.maintenance_marker import install as install_maintenance_marker
from alpr_desktop.gui.purge_scheduler import install as install_purge
from alpr_desktop.gui.purge_watch import install as install_purge_watch
from alpr_desktop.gui.shell import Shell
from alpr_desktop.services.store_files import harden_process


def launch(store: Path | None = None, demo: bool = False) -> tuple[QApplication, Shell]:
    """Build everything and start the flow, without entering the event loop.

    Separate from ``run_gui`` so that a driver (screenshot test, start-up benchmark) runs the
    very same program and can connect to ``Shell.store_opened`` before calling ``app.exec()``.
    """
    harden_process()  # drivers start here rather than in cli.main
    app = create_application()
    settings = open_settings()
    window = MainWindow(settings)
    shell = Shell(window, settings)
    # A store opened without a session (recovery, new store) asks for the first admin or a
    # sign-in; leaving a store signs out first.
    # Signing in opened it: the session comes with the store.
    shell.store_opened.connect(lambda _info: _start_session(window, shell))
    shell.store_closed.connect(window.end_session)
    purge = install_purge(window, shell)  # policy §8: every minute while a store is open
    watch = install_purge_watch(shell, window)  # and the scheduled task's, announced too
    install_maintenance_marker(window, shell)  # policy §7: OVERDUE after 30 days
    app.aboutToQuit.connect(purge.shutdown)
    app.aboutToQuit.connect(watch.shutdown)
    app.aboutToQuit.connect(window.end_session)
    app.aboutToQuit.connect(shell.shutdown)
    shell.start(store=store, demo=demo)
    startup_probe.install(app, shell)  # the bundle's smoke test and cold-start figure only
    return app, shell


def _start_session(window: MainWindow, shell: Shell) -> None:
    """The open store's session; at each sign-out the log witness moves on, once the
    sign-out's own log entry is written (so the witness holds it too)."""
    if shell.store is None:  # closed again before the signal arrived
        return
    window.start_session(shell.store, session=shell.take_session())
    if window.controller is not None:
        window.controller.sign_out_logged.connect(shell.advance_witness)


def run_gui(store: Path | None, demo: bool) -> int:
    app, _shell = launch(store=store, demo=demo)
    return app.exec()


def run_review(extract: Path) -> int:
    """``alpr-desktop --review PATH``: review mode only, no store, no main window."""
    from alpr_desktop.gui.review.flow import start_review

    harden_process()
    app = create_application()
    dialog = start_review(extract)
    dialog.rejected.connect(app.quit)
    return app.exec()
