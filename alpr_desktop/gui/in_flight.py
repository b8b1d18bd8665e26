"""Session work in flight: the tasks that hold the session's context right now.

A sign-out ends the session only after they finish (or a short wait runs out), so a task the
user started just before signing out is not refused at the gate with an ended session; such
a refusal would sit in the log (and count toward the oversight flags for refused attempts)
though the user attempted nothing after signing out. A lock still refuses at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

DRAIN_WAIT_S = 5.0


class InFlight:
    """A count of running session tasks that a sign-out can wait on (thread-safe)."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = threading.Condition()

    @contextmanager
    def holding(self) -> Iterator[None]:
        with self._idle:
            self._count += 1
        try:
            yield
        finally:
            with self._idle:
                self._count -= 1
                if self._count == 0:
                    self._idle.notify_all()

    @property
    def count(self) -> int:
        with self._idle:
            return self._count

    def wait_idle(self, timeout_s: float = DRAIN_WAIT_S) -> bool:
        """Block until no task holds the session (True) or ``timeout_s`` passes (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout_s)
