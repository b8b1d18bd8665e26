"""Purges run by another process, announced to the open windows (issue 14).

The scheduled ``alpr-desktop purge`` may run while the program is open (two purges at once do
no harm). The program's own scheduler announces what it deleted; this watcher notices the
others: every few seconds, on a worker with a connection of its own, it reads a token of the
recent purge records (two primary-key reads) and, only when that changed, asks which of the
reads the open windows show are gone. Those are announced on ``purged_reads.hub()`` exactly
as the program's own purge announces them, so results tables, the viewer, the plate profile
and the analysis windows drop them. The GUI thread never waits on it.

Wired by ``install`` (app.py), beside the purge scheduler."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.gui import purged_reads
from alpr_desktop.gui.shell import Shell
from alpr_desktop.gui.workers import TaskHandle, run_task
from alpr_desktop.services.purge_watch import Token
from alpr_desktop.services.workstation import DedicatedServices, OpenStore

log = logging.getLogger(__name__)

WATCH_EVERY_MS = 5_000


class PurgeWatch(QObject):
    checked = Signal(object)  # frozenset[int]: reads found gone (often empty) after a poll

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = WATCH_EVERY_MS,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.clock = clock or SystemClock()
        self.token: Token | None = None
        self._services: DedicatedServices | None = None
        self._handle: TaskHandle | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def attach(self, store: OpenStore | None) -> None:
        """Watch this store from now on (None: stop)."""
        if self._services is not None:
            self._services.close()
            self._services = None
        self.token = None
        if store is None:
            self.timer.stop()
            return
        self._services = DedicatedServices(store, self.clock)
        self.timer.start()

    def poll(self) -> None:
        """One look (skipped while the last is still running)."""
        services = self._services
        if services is None or (self._handle is not None and self._handle.running):
            return
        shown = sorted(purged_reads.shown_ids())
        last = self.token

        def work() -> tuple[Token, frozenset[int]]:
            return services.call(lambda s: s.purge_watch.poll(last, shown))

        def done(result: tuple[Token, frozenset[int]]) -> None:
            self._handle = None
            if self._services is not services:
                return  # the store changed meanwhile
            self.token, gone = result
            purged_reads.announce(gone)  # nothing when none is gone
            self.checked.emit(gone)

        def failed(exc: BaseException) -> None:
            self._handle = None
            log.info("purge watch skipped a look: %s", exc)

        self._handle = run_task(work, on_result=done, on_error=failed)

    def shutdown(self) -> None:
        self.attach(None)


def install(shell: Shell, parent: QObject) -> PurgeWatch:
    """Watch the shell's open store for purges by other processes."""
    watch = PurgeWatch(parent)
    shell.store_opened.connect(lambda _info: watch.attach(shell.store))
    shell.store_closed.connect(lambda: watch.attach(None))
    return watch
