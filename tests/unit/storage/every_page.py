"""Every page of a search from the store's planner, below the service (no gate, no log): the
migration tests compare what a store answers before and after a migration with it."""

from __future__ import annotations

from alpr_desktop.core.patterns import Mode, parse
from alpr_desktop.core.search import Cursor, Filters, SortColumn
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.plate_search import Found, SqlCipherPlateSearch


def every_page(store: Store, text: str, mode: Mode | str, filters: Filters | None = None,
               size: int = 30) -> list[Found]:
    """The pages of ``text`` in match order, first to last, ``size`` rows each."""
    f = filters or Filters()
    search = SqlCipherPlateSearch(store)
    out: list[Found] = []
    after = None
    while True:
        found = search.find(parse(text, mode), f, f.since, f.until, after=after, size=size,
                            column=SortColumn.BEST, descending=True)
        out.append(found)
        if not found.more:
            return out
        last = found.rows[-1]
        after = Cursor(int(last.kind), last.read.recorded_at, last.read.id, "x")
