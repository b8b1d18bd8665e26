"""Turns at the write lock among the connections of one process (issue 14).

SQLite lets one writer at a time in, and a connection kept out retries on a busy handler that
polls every 100 ms at worst, so a long writer working in many short transactions (the purge)
that takes the lock straight back after each commit starves a waiting search's log entry.
Every outermost write transaction of a store (storage/db.py ``Store.transaction``) is
therefore announced here, from before its BEGIN to after its COMMIT; the long writer calls
``give_way`` between its transactions and stands aside only when somebody actually waits,
until the writers that were there have finished (they get the next turn). Nobody waiting: no
pause at all. Across processes the busy timeout and short transactions do the same job.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class WriteTurns:
    """The writers of one store file in this process, in order of arrival."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._tickets = itertools.count(1)
        self._active: set[int] = set()  # waiting for the lock or holding it
        self.given_way = 0  # how many times a long writer stood aside (for tests, benches)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around one outermost write transaction: from before BEGIN to after COMMIT."""
        with self._cond:
            ticket = next(self._tickets)
            self._active.add(ticket)
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._active.discard(ticket)
                self._cond.notify_all()

    def waiting(self) -> int:
        """Writers of this process now waiting for the write lock or holding it."""
        with self._cond:
            return len(self._active)

    def give_way(self, timeout_s: float) -> bool:
        """Call between two transactions (holding no lock): when other writers wait, block
        until every one of them has finished its transaction, at most ``timeout_s`` (writers
        arriving meanwhile do not extend the wait). True when somebody was waiting."""
        with self._cond:
            if not self._active:
                return False
            last = max(self._active)
            self.given_way += 1
            self._cond.notify_all()
            self._cond.wait_for(lambda: not self._active or min(self._active) > last,
                                timeout_s)
            return True

    def wait_until(self, test: Callable[[WriteTurns], bool], timeout_s: float) -> bool:
        """Block until ``test(self)`` holds (checked at every change), at most ``timeout_s``:
        for tests and benchmarks that need a writer queued at a known moment."""
        with self._cond:
            return self._cond.wait_for(lambda: test(self), timeout_s)


_LOCK = threading.Lock()
_TURNS: dict[str, WriteTurns] = {}


def turns_for(path: Path) -> WriteTurns:
    """The one WriteTurns of this store file in this process (every connection shares it)."""
    key = str(Path(path).resolve())
    with _LOCK:
        turns = _TURNS.get(key)
        if turns is None:
            turns = _TURNS[key] = WriteTurns()
        return turns
