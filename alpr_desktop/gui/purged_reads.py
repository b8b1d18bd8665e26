"""Reads the open program's purge has just deleted, announced to every open window that may
still show them (result tables, the image viewer), so that they drop those rows or say
"deleted under retention" at once instead of at the next search (issue 14).

Only read ids travel (never a plate), from the purge worker's result to the GUI thread's
``hub().purged`` signal. A purge run by another process (the scheduled task while the program
is open, which it normally is not) is not announced here; its reads are gone from the store
all the same, and opening one says so."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

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
