"""What every window that lists reads does when a purge deletes some of them (issue 14): the
same hook as the result tables (``purged_reads.hub().purged``), a filter over its rows and one
sentence for its status line. The plate profile and the analysis windows use it."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from PySide6.QtWidgets import QTableView

from alpr_desktop.core.search import SearchRow
from alpr_desktop.gui import purged_reads
from alpr_desktop.gui.models.table import RowsModel

T = TypeVar("T")


def listen(slot: Callable[[frozenset[int]], Any],
           shown: Callable[[], Iterable[int]] | None = None) -> None:
    """Call ``slot`` (a bound method of a window: disconnected when the window goes) with the
    ids of reads a purge deleted, whichever process ran it; ``shown`` (a bound method) names
    the reads the window shows, for purges by other processes (gui/purge_watch.py)."""
    purged_reads.hub().purged.connect(slot)
    if shown is not None:
        purged_reads.track(shown)


def living(rows: Iterable[SearchRow], gone: frozenset[int]) -> tuple[SearchRow, ...]:
    return tuple(r for r in rows if r.read.id not in gone)


def refresh(table: QTableView, model: RowsModel[T], rows: Sequence[T],
            key: Callable[[T], Hashable]) -> None:
    """Show ``rows`` in ``model``, keeping the selected row (told by ``key``: a read id, a
    plate) selected when it is still there."""
    picked = table.selectionModel().selectedRows()
    chosen = model.row_at(picked[0].row()) if picked else None
    keep = key(chosen) if chosen is not None else None
    model.set_rows(rows)
    at = next((i for i, r in enumerate(rows) if keep is not None and key(r) == keep), -1)
    if at >= 0:
        table.selectRow(at)


def removed_words(n: int) -> str:
    """The status line's sentence, as the results table says it."""
    return (f"{n} read{'s' if n != 1 else ''} deleted under retention (policy §8) "
            f"{'were' if n != 1 else 'was'} removed from this window.")
