"""How long work reports progress and hears that it should stop, across the services.

Services that take long (verifying the log, building a report, importing) accept
``progress(done, total) -> bool`` (False asks them to stop) and ``cancel() -> bool``; the GUI's
worker helper passes both. These names give callers one spelling of the two."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int], bool]
"""``progress(done, total)``; returns False when the caller wants the work to stop."""

CancelFn = Callable[[], bool]
"""``cancel()``; True once the caller asked the work to stop."""


def never_cancelled() -> bool:
    return False


def ignore_progress(_done: int, _total: int) -> bool:
    return True
