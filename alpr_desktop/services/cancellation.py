"""Stopping a query in flight from another thread.

A newer search makes the running one stale; :class:`QueryInterrupt` lets the GUI thread stop
its statement at once (sqlite3_interrupt on the worker's connection) so it stops using the
disk. The worker attaches its ServiceSet while the query runs; interrupting before the attach
stops the query as soon as it attaches."""

from __future__ import annotations

import contextlib
import threading

from alpr_desktop.services.workstation import ServiceSet


class QueryInterrupt:
    """The connection of the query in flight, so another thread can interrupt it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._services: ServiceSet | None = None
        self._dead = False

    def attach(self, services: ServiceSet) -> None:
        with self._lock:
            self._services = services
            if self._dead:
                self._fire()

    def detach(self) -> None:
        with self._lock:
            self._services = None

    def interrupt(self) -> None:
        with self._lock:
            self._dead = True
            self._fire()

    @property
    def interrupted(self) -> bool:
        return self._dead

    def _fire(self) -> None:
        if self._services is not None:
            with contextlib.suppress(Exception):  # closed meanwhile: nothing left to stop
                self._services.interrupt()
