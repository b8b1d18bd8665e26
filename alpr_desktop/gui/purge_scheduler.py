"""The purge while the program is open (policy §8): every minute, on a worker with its own
connection, never on the GUI thread. Each batch is one short transaction, so a search waits for
one batch at most. Also keeps the status bar's OVERDUE marker for custodian and admin.

Wired by ``install`` (app.py): it follows the shell's store and the window's session."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.core.roles import Role
from alpr_desktop.gui.main_window import MainWindow
from alpr_desktop.gui.palette import BAD_BADGE, BADGE_TEXT
from alpr_desktop.gui.purged_reads import announce
from alpr_desktop.gui.shell import Shell
from alpr_desktop.gui.workers import TaskHandle, run_task
from alpr_desktop.services.workstation import OpenStore, services_for

log = logging.getLogger(__name__)

PURGE_EVERY_MS = 60_000
OPEN_PROGRAM = "(program, while open)"
OVERDUE_ROLES = frozenset({Role.CUSTODIAN, Role.ADMIN})
OVERDUE_TEXT = "RETENTION OVERDUE"
OVERDUE_TIP = ("A read is more than two minutes past its deletion time: the scheduled purge "
               "is not running. The custodian's Retention screen says more.")
OVERDUE_STYLE = (f"QLabel {{ background: {BAD_BADGE}; color: {BADGE_TEXT}; font-weight: bold; "
                 "padding: 0 6px; }")


def _purge_once(store: OpenStore, clock: Clock | None,
                cancel: Callable[[], bool]) -> tuple[bool, frozenset[int]]:
    """One run on its own connection; returns whether a read is still overdue and the ids
    of the reads it deleted (for the open windows: gui/purged_reads.py)."""
    with services_for(store, clock or SystemClock()) as s:
        result = s.retention.purge(OPEN_PROGRAM, cancel=cancel)
        return s.retention.overdue(), result.deleted_ids


class PurgeScheduler(QObject):
    ran = Signal(bool)  # overdue after the run
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = PURGE_EVERY_MS,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.store: OpenStore | None = None
        self.overdue = False
        self._handle: TaskHandle | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)

    def attach(self, store: OpenStore | None) -> None:
        """Purge this store from now on (None: stop)."""
        self.store = store
        if store is None:
            self.timer.stop()
            if self._handle is not None:
                self._handle.cancel()
            return
        self.timer.start()
        self.run_now()  # at once: a store opened after a week shut is caught up first

    def run_now(self) -> None:
        if self.store is None or (self._handle is not None and self._handle.running):
            return
        store = self.store

        def done(result: object) -> None:
            self._handle = None
            overdue, deleted = result if isinstance(result, tuple) else (result, frozenset())
            announce(deleted)  # open result tables and viewers drop these reads now
            self.overdue = bool(overdue) and self.store is store
            self.ran.emit(self.overdue)

        def error(exc: BaseException) -> None:
            self._handle = None
            log.warning("purge did not run: %s", exc)
            self.failed.emit(str(exc))

        self._handle = run_task(_purge_once, store, self.clock, on_result=done,
                                on_error=error)

    def shutdown(self) -> None:
        self.attach(None)


class OverdueMarker(QLabel):
    """RETENTION OVERDUE in the status bar, for custodian and administrator only."""

    def __init__(self, window: MainWindow, scheduler: PurgeScheduler) -> None:
        super().__init__(OVERDUE_TEXT)
        self.window_ = window
        self.scheduler = scheduler
        self.setObjectName("retentionOverdue")
        self.setToolTip(OVERDUE_TIP)
        self.setAccessibleName("Retention overdue")
        self.setStyleSheet(OVERDUE_STYLE)
        self.hide()
        scheduler.ran.connect(lambda _o: self.update_shown())

    def update_shown(self) -> None:
        controller = self.window_.controller
        session = controller.session if controller is not None else None
        roles = session.roles if session is not None else frozenset()
        self.setVisible(self.scheduler.overdue and bool(roles & OVERDUE_ROLES))


def install(window: MainWindow, shell: Shell) -> PurgeScheduler:
    """Purge the shell's open store every minute and show OVERDUE in the status bar of a
    custodian or administrator."""
    scheduler = PurgeScheduler(window)
    marker = OverdueMarker(window, scheduler)
    window.statusBar().insertPermanentWidget(0, marker)
    scheduler.marker = marker  # type: ignore[attr-defined]

    def opened(_info: object) -> None:
        scheduler.attach(shell.store)
        if window.workspace is not None:  # who signs in decides whether the marker shows
            window.workspace.status_changed.connect(lambda *_: marker.update_shown())

    shell.store_opened.connect(opened)
    shell.store_closed.connect(lambda: scheduler.attach(None))
    shell.store_closed.connect(marker.update_shown)
    return scheduler
