"""Reads the open program's purge has just deleted, announced to every open window that may
still show them (result tables, the image viewer), so that they drop those rows or say
"deleted under retention" at once instead of at the next search (issue 14).

Only read ids travel (never a plate), from the purge worker's result to the GUI thread's
``hub().purged`` signal. A purge run by another process (the scheduled task while the program
is open) is noticed by ``gui/purge_watch.py``, which asks the store which of the reads the
open windows show (``track``) are gone, and announces those the same way."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

DELETED_TEXT = "Deleted under retention (policy §8): this read passed its five years."


class PurgedReads(QObject):
    purged = Signal(object)  # frozenset[int]: ids of reads deleted by a purge run


_hub: PurgedReads | None = None


def hub() -> PurgedReads:
    """The one announcer (made on first use, on the GUI thread)."""
    global _hub
    if _hub is None:
        _hub = PurgedReads()
    return _hub


def announce(ids: Iterable[int]) -> None:
    """Tell every open window these reads are gone (nothing when there are none)."""
    gone = frozenset(int(i) for i in ids)
    if gone:
        hub().purged.emit(gone)


_shown: list[weakref.WeakMethod[Callable[[], Iterable[int]]]] = []


def track(ids_shown: Callable[[], Iterable[int]]) -> None:
    """Register a window's (bound) method that returns the read ids it shows now, so that a
    purge by another process can be checked against them. Held weakly: a closed window
    drops out by itself."""
    _shown.append(weakref.WeakMethod(ids_shown))


def shown_ids() -> frozenset[int]:
    """Every read id the tracked windows show (on the GUI thread)."""
    ids: set[int] = set()
    for ref in list(_shown):
        method = ref()
        try:
            owner = getattr(method, "__self__", None)
            if method is None or (isinstance(owner, QObject) and not isValid(owner)):
                raise RuntimeError("gone")
            ids.update(int(i) for i in method())
        except RuntimeError:  # collected, or its Qt object deleted (the window was closed)
            _shown.remove(ref)
    return frozenset(ids)
