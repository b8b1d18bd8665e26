"""Long work off the GUI thread (DESIGN rule 7).

``run_task(fn, ...)`` runs ``fn`` on ``QThreadPool.globalInstance()`` and delivers its result,
its exception and its progress to callbacks on the GUI thread, through the signals of a relay
object that lives there (a queued connection: Qt posts the call to the relay's thread).

``fn`` opts into the extras by the names of its parameters:

* ``cancel``: receives a :class:`CancelToken`; long loops check ``cancel.cancelled``, call
  ``cancel.raise_if_cancelled()`` (raises core.errors.Cancelled) or pass the token itself where
  a ``cancel() -> bool`` callable is expected (the token is callable).
* ``progress``: receives ``progress(done, total) -> bool``; it forwards to ``on_progress`` and
  returns False once the task was cancelled, so code written for a plain progress callback
  (``return False to stop``) cancels without knowing about Qt. Only the latest value is
  delivered: while one delivery waits in the GUI's event queue, newer reports replace its
  value instead of queueing more, so a fast job never floods the event loop (no timer polls).

Database connections are not shared across threads: a worker asks the services for its own
connection (services.workstation) and closes it before returning. The GUI thread runs no
query and no write (DESIGN rule 7).
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot

from alpr_desktop.core.errors import Cancelled

__all__ = ["CANCELLED", "CancelToken", "Cancelled", "TaskHandle", "run_task"]

CANCELLED = "The operation was cancelled."

log = logging.getLogger(__name__)


class CancelToken:
    """Thread-safe flag the GUI sets and the worker polls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled(CANCELLED)


class _Relay(QObject):
    """Lives on the GUI thread; worker-thread emissions reach its slots through the event loop."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal(int, int)

    def __init__(
        self,
        on_result: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        on_progress: Callable[[int, int], None] | None,
        done: Callable[[_Relay], None],
    ) -> None:
        super().__init__()
        self._latest_lock = threading.Lock()
        self._latest: tuple[int, int] | None = None  # waiting for delivery
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress
        self._done = done
        self.result.connect(self._deliver_result)
        self.error.connect(self._deliver_error)
        self.progress.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_result(self, value: object) -> None:
        try:
            self._on_result(value)
        finally:
            self._done(self)

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        try:
            self._on_error(exc)  # type: ignore[arg-type]
        finally:
            self._done(self)

    def report(self, done: int, total: int) -> None:
        """From the worker: keep the latest value; signal only when none is pending."""
        with self._latest_lock:
            pending = self._latest is not None
            self._latest = (int(done), int(total))
        if not pending:
            self.progress.emit(0, 0)

    @Slot(int, int)
    def _deliver_progress(self, _done: int, _total: int) -> None:
        with self._latest_lock:
            value, self._latest = self._latest, None
        if value is not None and self._on_progress is not None:
            self._on_progress(*value)


class _Runnable(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay, token: CancelToken) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._call = call
        self._relay = relay
        self._token = token

    def run(self) -> None:  # worker thread
        try:
            value = self._call()
        except BaseException as exc:
            if self._token.cancelled and not isinstance(exc, Cancelled):
                log.debug("task failed after cancellation", exc_info=exc)
                exc = Cancelled(CANCELLED)
            self._deliver(self._relay.error, exc)
        else:
            self._deliver(self._relay.result, value)

    @staticmethod
    def _deliver(signal: SignalInstance, value: object) -> None:
        """Emit unless the application is gone (a sign-out finishing while the program
        quits): the work itself is done, nobody is left to tell."""
        try:
            signal.emit(value)
        except RuntimeError as exc:
            log.debug("result not delivered: %s", exc)


class TaskHandle:
    """What ``run_task`` returns: cancel the task, or ask whether it is still running."""

    def __init__(self, token: CancelToken) -> None:
        self.token = token
        self.running = True

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled


# Relays must outlive the call that created them until their last delivery.
_live: set[_Relay] = set()


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], object],
    on_error: Callable[[BaseException], object],
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
    **kw: Any,
) -> TaskHandle:
    """Run ``fn(*args, **kw)`` on a pool thread; exactly one of on_result/on_error is called,
    on the GUI thread. Call from the GUI thread."""
    token = CancelToken()
    handle = TaskHandle(token)

    def finished(relay: _Relay) -> None:
        handle.running = False
        _live.discard(relay)
        relay.deleteLater()

    relay = _Relay(on_result, on_error, on_progress, finished)
    _live.add(relay)

    if _accepts(fn, "cancel"):
        kw["cancel"] = token
    if _accepts(fn, "progress"):

        def report(done: int, total: int) -> bool:
            relay.report(done, total)
            return not token.cancelled

        kw["progress"] = report

    runnable = _Runnable(lambda: fn(*args, **kw), relay, token)
    (pool or QThreadPool.globalInstance()).start(runnable)
    return handle
