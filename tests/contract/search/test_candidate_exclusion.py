"""A read listed as a candidate match is listed once (issue 20 changed how the look-alike and
one-edit tiers leave those reads out): a read whose alternate reading is the plate searched
for shows in the candidate tier only, on every page, by either way of paging, in the counts."""

from __future__ import annotations

from typing import Any

import pytest
from search_helpers import DAY, T0, Seeded
from search_plans import BY_PLATE, BY_WALK
from search_plans import force as _force

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.core.search import Filters, SearchQuery

pytestmark = pytest.mark.backend_specific("sqlcipher")


def _reads(seeded: Seeded) -> dict[str, int]:
    cam = next(iter(seeded.cams.values()))
    alt = (("7ABC123", 0.4),)
    rows = {
        "alike_listed": NewRead("7A8C123", T0 - 2 * DAY, cam, candidates=alt),
        "edit_listed": NewRead("7ABC124", T0 - 3 * DAY, cam, candidates=alt),
        "alike": NewRead("7A8C123", T0 - 4 * DAY, cam),
        "edit": NewRead("7ABC124", T0 - 5 * DAY, cam),
        "exact": NewRead("7ABC123", T0 - 6 * DAY, cam),
    }
    ids = seeded.world.store.reads.insert_many(list(rows.values()))
    return dict(zip(rows, ids, strict=True))


@pytest.mark.parametrize("way", ["plate", "walk"])
@pytest.mark.parametrize("size", [1, 2, 100])
def test_a_read_listed_as_a_candidate_is_not_listed_again(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, way: str, size: int,
) -> None:
    _force(monkeypatch, BY_PLATE if way == "plate" else BY_WALK)
    ids = _reads(seeded)
    rows: list[Any] = []
    cursor = None
    first = None
    while True:
        page = seeded.svc.search(seeded.ctx, SearchQuery("7ABC123", "fuzzy", Filters(), size),
                                 cursor)
        first = first or page
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    kinds = {r.read.id: r.kind for r in rows}
    assert len(rows) == len(kinds)  # no read twice
    assert kinds[ids["alike_listed"]] is MatchKind.CANDIDATE
    assert kinds[ids["edit_listed"]] is MatchKind.CANDIDATE
    assert kinds[ids["alike"]] is MatchKind.LOOK_ALIKE
    assert kinds[ids["edit"]] is MatchKind.ONE_EDIT
    assert kinds[ids["exact"]] is MatchKind.EXACT
    mine = set(ids.values())
    assert first is not None and first.total == len(rows) >= len(mine)
