"""Keeping the recent reads ready for broad searches while someone is signed in (issue 20):
services/search_index.py on a worker thread of its own with its own connection, never on
the GUI thread.

It runs after each sign-in (a store updated to migration 0026 gets its first build then, which
takes minutes at 100 million reads) and after each import the wizard finishes (stopped or
failed ones too: their finished batches are in). A lock, a sign-out or closing the store stops
it at once: the token stops it between steps and an interrupt stops the step in hand, which
rolls back; every earlier step is committed, and the next run goes on from there (after an
unlock, at once). A busy store is tried again a minute later. The user sees one quiet line in
the status bar while it runs, nothing modal: searches give the same results meanwhile, only
more slowly.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from alpr_desktop.core.errors import Cancelled
from alpr_desktop.gui.session_controller import SessionController
from alpr_desktop.gui.workers import CancelToken, TaskHandle, run_task
from alpr_desktop.services import workstation
from alpr_desktop.services.cancellation import QueryInterrupt
from alpr_desktop.services.progress import ProgressFn
from alpr_desktop.services.search_index import IndexUpkeep, SearchIndexFailed

log = logging.getLogger(__name__)

BUSY_RETRY_MS = 60_000
PREPARING = "Preparing recent reads for search…"
FAILED = "Recent reads could not be prepared for search; searches still find them, more slowly."


_pool: QThreadPool | None = None


def upkeep_pool() -> QThreadPool:
    """One thread of its own for the upkeep, made once and kept as long as the program (as
    the global pool is): a first build takes minutes and must not hold one of the global
    pool's threads (two on a two-core workstation) from searches and imports; and a pool that
    went with the session would wait for the step in hand when the session ends."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def preparing_text(done: int, total: int) -> str:
    """The status line while the upkeep runs: the share done once it is known."""
    if total <= 0:
        return PREPARING
    return f"{PREPARING} {min(100, done * 100 // total)} %"


class SearchUpkeep(QObject):
    """One session's upkeep: ``start`` after an import; sign-in, lock, unlock and sign-out
    are followed through the controller's signals."""

    status_changed = Signal(str)  # the status line ("" when there is nothing to say)
    problem = Signal(str)  # a failure, in a sentence with what to do (tooltip, log)
    finished = Signal(object)  # IndexUpkeep, or the exception that ended a run

    def __init__(self, controller: SessionController, parent: QObject | None = None, *,
                 retry_ms: int = BUSY_RETRY_MS) -> None:
        super().__init__(parent)
        self.controller = controller
        self.text = ""
        self._handle: TaskHandle | None = None
        self._interrupt: QueryInterrupt | None = None
        self._again = False  # an import finished during a run: once more after it
        self._resume = False  # a lock stopped a run: the unlock goes on with it
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(retry_ms)
        self.retry.timeout.connect(self.start)
        controller.signed_in.connect(self._signed_in)
        controller.locked.connect(self._locked)
        controller.unlocked.connect(self._unlocked)
        controller.signed_out.connect(self._signed_out)

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self) -> None:
        """Run now, or once more after the run in hand (whose total was counted before the
        reads that just came in). Only while someone is signed in; while locked, the unlock
        runs it."""
        c = self.controller
        if c.session is None:
            return
        if c.is_locked:  # an import that ended at the lock: the unlock runs it
            self._resume = True
            return
        self.retry.stop()
        if self._handle is not None:
            self._again = True
            return
        store, clock = c.store, c.clock
        interrupt = self._interrupt = QueryInterrupt()

        def work(progress: ProgressFn, cancel: CancelToken) -> IndexUpkeep:
            with workstation.services_for(store, clock) as services:
                interrupt.attach(services)
                try:
                    return services.search_index.catch_up(progress=progress, cancel=cancel)
                finally:
                    interrupt.detach()

        handle: TaskHandle

        def done(result: IndexUpkeep) -> None:
            if self._ended(handle):
                return
            if result.busy and not result.stopped:
                log.info("search upkeep postponed: %s", result.busy)
                self.retry.start()
            self._show("")
            if self._again and not result.stopped:
                self._again = False
                self.start()
            self.finished.emit(result)

        def failed(exc: BaseException) -> None:
            if self._ended(handle):
                return
            if isinstance(exc, Cancelled):
                self._show("")
            else:
                advice = getattr(exc, "advice", "")
                detail = str(exc) if isinstance(exc, SearchIndexFailed) else FAILED
                log.warning("search upkeep failed: %s", exc)
                self._show(FAILED)
                self.problem.emit(f"{detail} {advice}".strip())
            self.finished.emit(exc)

        def progressed(n: int, total: int) -> None:
            if shiboken6.isValid(self) and self._handle is handle:
                self._show(preparing_text(n, total))

        self._show(PREPARING)
        handle = self._handle = run_task(work, on_result=done, on_error=failed,
                                         on_progress=progressed, pool=upkeep_pool())

    def stop(self) -> None:
        """Stop now without waiting: the token ends the run between steps, the interrupt the
        step in hand (rolled back; the earlier steps stay)."""
        self.retry.stop()
        self._again = False
        handle, interrupt = self._handle, self._interrupt
        self._handle = self._interrupt = None
        if handle is not None:
            handle.cancel()
        if interrupt is not None:
            interrupt.interrupt()
        self._show("")

    def _ended(self, handle: TaskHandle) -> bool:
        """True when this run's news is stale: the object is gone, or the run was stopped
        (and maybe another started) meanwhile."""
        if not shiboken6.isValid(self) or self._handle is not handle:
            return True
        self._handle = self._interrupt = None
        return False

    def _signed_in(self, _session: object) -> None:
        self._resume = False
        self.start()

    def _signed_out(self) -> None:
        self._resume = False
        self.stop()

    def _locked(self) -> None:
        self._resume = self._resume or self._handle is not None or self.retry.isActive()
        self.stop()

    def _unlocked(self) -> None:
        if self._resume:
            self._resume = False
            self.start()

    def _show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.status_changed.emit(text)
