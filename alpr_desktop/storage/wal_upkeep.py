"""WAL checkpoints off a connection's commits (issue 20, plan step 5).

With SQLite's default autocheckpoint, the commit that takes the WAL past 1,000 pages copies
them back into the store and fsyncs it, inside that commit: once every ~200 searches, a search
(whose log entry is what committed) carries a checkpoint of tens to hundreds of ms. A
connection that defers its checkpoints (``Store.defer_checkpoints``) raises its own
autocheckpoint to ``CAP_PAGES`` (a bound, so the WAL cannot grow without limit if this worker
falls behind or is blocked by a long reader) and tells a ``WalUpkeep`` after each commit;
the upkeep runs PASSIVE checkpoints on its own connection and thread, every ``EVERY_COMMITS``
commits or ``IDLE_S`` after the last one. PASSIVE never blocks a reader or writer. The commit
itself stays durable: synchronous = FULL fsyncs the WAL at every commit, as before. After a
checkpoint the upkeep gives the WAL file its room again if something emptied it
(storage/wal_room.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from alpr_desktop.storage.errors import DB_ERRORS, StoreError
from alpr_desktop.storage.wal_room import make_room

if TYPE_CHECKING:
    from alpr_desktop.storage.db import Store

CAP_PAGES = 4096  # 16 MiB of 4 KiB pages: the deferring connection checkpoints itself here
EVERY_COMMITS = 64  # about 320 pages of log appends
IDLE_S = 2.0


class WalUpkeep:
    """A daemon thread that checkpoints one store's WAL on a connection of its own (opened
    on first need with ``open_connection``)."""

    def __init__(self, open_connection: Callable[[], Store], *,
                 every: int | None = None, idle_s: float | None = None,
                 room: int = 0) -> None:
        self._open = open_connection
        self._room = room  # the WAL's size to keep after each checkpoint (wal_room.py)
        self._every = EVERY_COMMITS if every is None else every
        self._idle_s = IDLE_S if idle_s is None else idle_s
        self._cond = threading.Condition()
        self._pending = 0
        self._stopped = False
        self.checkpoints = 0  # how many ran (tests, benchmarks)
        self._thread = threading.Thread(target=self._run, name="wal-upkeep", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """One more commit on the deferring connection (cheap: called in its thread)."""
        with self._cond:
            self._pending += 1
            if self._pending >= self._every:
                self._cond.notify()

    def close(self) -> None:
        """Stop the thread after a last checkpoint of what is pending, and close its
        connection."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join()

    def _run(self) -> None:
        store: Store | None = None
        try:
            while True:
                with self._cond:
                    if not self._stopped and self._pending < self._every:
                        self._cond.wait(self._idle_s if self._pending else None)
                    stopped, due = self._stopped, self._pending
                    self._pending = 0
                if due:
                    if store is None:
                        try:
                            store = self._open()
                        except StoreError:
                            return  # the store went away: the cap still bounds the WAL
                    self._checkpoint(store)
                if stopped:
                    return
        finally:
            if store is not None:
                store.close()

    def _checkpoint(self, store: Store) -> None:
        try:
            store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except DB_ERRORS:
            return  # busy or closing: the next one (or the cap) will do it
        if self._room:
            make_room(store, self._room)  # after a TRUNCATE checkpoint elsewhere emptied it
