"""Sorting by a column sorts the whole result in the engine: keyset pages on (column, read id)
in either direction concatenate to the full result in that order, across match-kind tiers and
both fetch plans; each page is a gated, logged page; and the counts say how many different
plates the matching reads hold."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded, log_entries

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import (
    Filters,
    Page,
    SearchInputError,
    SearchQuery,
    SortColumn,
    sort_value,
)
from alpr_desktop.storage import plate_search as search_mod

COLUMNS = [SortColumn.TIME, SortColumn.PLATE, SortColumn.STATE, SortColumn.CAMERA,
           SortColumn.CONFIDENCE, SortColumn.DIRECTION, SortColumn.VEHICLE, SortColumn.SPEED]


def _bulk(seeded: Seeded) -> None:
    """Reads with repeated times, plates, states, confidences, directions, vehicles and speeds
    (some unknown): ties need the id."""
    cams = list(seeded.cams.values())
    seeded.world.store.reads.insert_many([
        NewRead(f"7AB{i % 17:04d}", T0 - 1000 - (i // 5) * 60, cams[i % 2],
                state=("CA", "NV", "AZ")[i % 3], confidence=(0.5, 0.9, 0.7, 0.9)[i % 4],
                direction=("NB", "SB", "")[i % 3], make=("Honda", "Ford", "")[i % 3],
                model=("Civic", "F-150")[i % 2], color=("Blue", "White", "")[i % 3],
                speed=(None, 35.0, 25.5, 35.0, None)[i % 5])
        for i in range(240)
    ])


def _page(seeded: Seeded, text: str, mode: str, column: SortColumn, desc: bool, size: int,
          cursor: str | None = None, filters: Filters | None = None) -> Page:
    q = SearchQuery(text, mode, filters or Filters(), size, column, desc)
    return seeded.svc.search(seeded.ctx, q, cursor)


def _all(seeded: Seeded, text: str, mode: str, column: SortColumn, desc: bool,
         size: int) -> list:
    rows: list = []
    cursor = None
    while True:
        page = _page(seeded, text, mode, column, desc, size, cursor)
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            return rows


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("desc", [False, True])
def test_sorted_pages_concatenate_to_the_whole_result_in_that_order(
    seeded: Seeded, column: SortColumn, desc: bool
) -> None:
    _bulk(seeded)
    whole = seeded.all_rows("7AB*", page_size=1000)
    rows = _all(seeded, "7AB*", "auto", column, desc, 11)
    ids = [r.read.id for r in rows]
    assert len(ids) == len(set(ids)) == len(whole)  # no gap, no repeat
    keys = [(sort_value(r, column), r.read.id) for r in rows]
    assert keys == sorted(keys, reverse=desc)
    # the first page is the true top of the whole result, not of the rows loaded so far
    top = sorted(whole, key=lambda r: (sort_value(r, column), r.read.id), reverse=desc)[:11]
    assert [r.read.id for r in rows[:11]] == [r.read.id for r in top]


@pytest.mark.parametrize("column", COLUMNS)
def test_sorting_crosses_match_kind_tiers(seeded: Seeded, column: SortColumn) -> None:
    whole = seeded.search("7ABC123", "fuzzy", page_size=100).rows
    assert len({r.kind for r in whole}) >= 3
    for size in (1, 2, 5):
        rows = _all(seeded, "7ABC123", "fuzzy", column, True, size)
        assert sorted(r.read.id for r in rows) == sorted(r.read.id for r in whole)
        keys = [(sort_value(r, column), r.read.id) for r in rows]
        assert keys == sorted(keys, reverse=True)
        kinds = {r.read.id: r.kind for r in whole}
        assert all(r.kind == kinds[r.read.id] for r in rows)  # the match kind is kept


def test_match_kind_descending_lists_the_weakest_first(seeded: Seeded) -> None:
    best = [r.read.id for r in seeded.search("7ABC123", "fuzzy", page_size=100).rows]
    for size in (1, 3, 100):
        rows = _all(seeded, "7ABC123", "fuzzy", SortColumn.MATCH, True, size)
        ranks = [int(r.kind) for r in rows]
        assert ranks == sorted(ranks, reverse=True)
        assert sorted(r.read.id for r in rows) == sorted(best)
    asc = _all(seeded, "7ABC123", "fuzzy", SortColumn.MATCH, False, 2)
    assert [r.read.id for r in asc] == best


@pytest.mark.backend_specific("sqlcipher")
def test_broad_plan_sorts_the_same(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    _bulk(seeded)
    narrow = {c: [r.read.id for r in _all(seeded, "7AB*", "auto", c, d, 13)]
              for c in (SortColumn.TIME, SortColumn.PLATE) for d in (False,)}
    monkeypatch.setattr(search_mod, "BROAD_READS", 10)
    monkeypatch.setattr(search_mod, "MIN_BROAD_PLATES", 2)
    search_mod.RESOLVED.clear()
    assert "newest first" in seeded.search("7AB*", page_size=13).plan
    for c, ids in narrow.items():
        assert [r.read.id for r in _all(seeded, "7AB*", "auto", c, False, 13)] == ids
    search_mod.RESOLVED.clear()


def test_each_sorted_page_is_gated_and_logged_with_its_order(seeded: Seeded) -> None:
    _bulk(seeded)
    first = _page(seeded, "7AB*", "auto", SortColumn.PLATE, True, 20)
    second = _page(seeded, "7AB*", "auto", SortColumn.PLATE, True, 20, first.next_cursor)
    [e1] = log_entries(seeded.world.store, "search")
    [e2] = log_entries(seeded.world.store, "search.page")
    assert e1.query["sort"] == e2.query["sort"] == {"by": "plate", "descending": True}
    last = first.rows[-1]
    assert e2.query["after"]["value"] == last.read.plate_norm
    assert e2.query["after"]["read_id"] == last.read.id
    assert (e1.result_count, e2.result_count) == (20, len(second.rows))
    assert (first.sort, first.descending) == (SortColumn.PLATE, True)


def test_a_sorted_cursor_belongs_to_its_order(seeded: Seeded) -> None:
    _bulk(seeded)
    page = _page(seeded, "7AB*", "auto", SortColumn.PLATE, False, 5)
    with pytest.raises(SearchInputError, match="another search"):
        _page(seeded, "7AB*", "auto", SortColumn.PLATE, True, 5, page.next_cursor)
    with pytest.raises(SearchInputError, match="another search"):
        seeded.search("7AB*", page_size=5, cursor=page.next_cursor)


def test_an_unknown_sort_column_is_refused() -> None:
    with pytest.raises(SearchInputError, match="cannot be sorted"):
        SearchQuery("7ABC123", sort="speed; DROP TABLE reads")


def test_plates_found_counts_the_plates_of_the_matching_reads(seeded: Seeded) -> None:
    exact = seeded.search("7ABC123")
    assert (exact.total, exact.plates_found) == (3, 1)
    # the pattern resolves three plates, but the filter leaves reads of one only
    honda = seeded.search("7AB*", filters=Filters(makes=("Honda",)))
    assert honda.plates_matched == 3
    assert (honda.total, honda.plates_found) == (3, 1)
    # a plate known only as an alternate reading has no reads of its own
    seeded.world.store.reads.insert_many(
        [NewRead("7ABQ777", T0 - 50, seeded.cams["north"], candidates=(("7ABW111", 0.3),))])
    wild = seeded.search("7AB*")
    assert wild.plates_matched == 5 and wild.plates_found == 4 and wild.total == 6
    [entry] = log_entries(seeded.world.store, "search")[-1:]
    assert entry.detail["plates_found"] == 4


def test_sorted_cursor_round_trip_and_bad_values_are_refused() -> None:
    import base64
    import json

    from alpr_desktop.core.search import Cursor

    for value in (17, 0.25, "7ABC123"):
        c = Cursor(0, 0, 9, "fp", None, None, value)
        assert Cursor.from_token(c.token()) == c
    for bad in (True, ["x"], {"a": 1}, "x" * 300):
        raw = json.dumps([0, 0, 9, "fp", None, None, bad]).encode()
        with pytest.raises(SearchInputError, match="not valid"):
            Cursor.from_token(base64.urlsafe_b64encode(raw).decode())
