"""The import's writer thread: each batch stored on a thread of its own while the reading
side prepares the next one (SQLite lets the GIL go while it inserts, encrypts and writes)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable


class BatchWriter:
    """Runs ``flush`` on its own thread, one batch at a time, at most one batch queued.
    A failure there is raised again in the reading thread at the next put or at exit.

    A stored batch is handed back and freed by the reading thread (at its next put): freeing
    a hundred thousand records is Python work, and the writer is the slower thread."""

    def __init__(self, flush: Callable[..., None]) -> None:
        self._flush = flush
        self._queue: queue.Queue[tuple | None] = queue.Queue(maxsize=1)
        self._spent: list[tuple] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="import-writer", daemon=True)

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if self._error is None:
                try:
                    self._flush(*job)
                except BaseException as exc:
                    self._error = exc
            self._spent.append(job)
            del job

    def put(self, *job: object) -> None:
        self._raise()
        self._spent.clear()
        self._queue.put(job)

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._spent.clear()
        if exc_type is None:
            self._raise()
