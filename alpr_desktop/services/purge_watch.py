"""Noticing, in the open program, a purge another process ran (the scheduled
``alpr-desktop purge``; issue 14), so that open windows drop the deleted reads as they do
after the program's own purge.

Not gated and not logged, on purpose: it returns a counter of purge records and which of the
read ids the caller already shows are no longer stored: no read, image or log data, nothing
the window did not already hold. A poll every few seconds must not write the log."""

from __future__ import annotations

from collections.abc import Sequence

from alpr_desktop.core.clock import Clock, SystemClock
from alpr_desktop.storage.unit_of_work import UnitOfWork

Token = tuple[int, int]


class PurgeWatchService:
    def __init__(self, store: UnitOfWork, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    def token(self) -> Token:
        """Changes whenever any process starts a purge run or commits a batch of one."""
        return self.store.purge_watch.token()

    def poll(self, last: Token | None, shown: Sequence[int]) -> tuple[Token, frozenset[int]]:
        """The present token and, when it differs from ``last``, which of ``shown`` are gone
        (nothing is looked up while no purge has run since)."""
        now = self.token()
        if now == last or not shown:
            return now, frozenset()
        return now, self.store.purge_watch.missing(shown)
