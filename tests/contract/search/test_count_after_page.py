"""The first page before the total (issue 20): a first page found with ``count=False`` holds
the same rows in the same order as one that counts, with the same position for the next
page; and the count asked for afterwards says exactly what the counting first page said, for
every kind of pattern, with filters, in every order, whichever way the planner goes."""

from __future__ import annotations

from typing import Any

import pytest
from search_helpers import DAY, T0, Seeded, log_entries
from search_plans import BY_PLATE, BY_WALK, bulk, force

from alpr_desktop.core.search import Filters, SearchQuery, SortColumn, TimeOfDay
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage.corrections import CorrectionQueries
from alpr_desktop.storage.search_queries import SearchQueries

PATTERNS = [("7AB0001", "exact"), ("7AB*", "auto"), ("7A?C*", "auto"), ("AB0", "substring"),
            ("*C12*", "auto"), ("7ABC123", "fuzzy")]
FILTERS = [
    Filters(),
    Filters(since=T0 - 40 * DAY, until=T0 - 20 * DAY),
    Filters(makes=("Honda",), colors=("Silver", "White")),
    Filters(camera_ids=(1,), min_confidence=0.7),
    Filters(time_of_day=TimeOfDay(22 * 60, 6 * 60), speed_min=30.0),
]
ORDERS = [(SortColumn.BEST, False), (SortColumn.TIME, True), (SortColumn.TIME, False),
          (SortColumn.PLATE, False)]
PLANS = {"default": {}, "plate": BY_PLATE, "walk": BY_WALK}
COUNTS = ("total", "total_capped", "plates_found", "plates_capped", "result_plates")


def _rows(page: Any) -> list[tuple[Any, ...]]:
    return [(r.read.id, r.kind, r.matched_plate, r.corrected) for r in page.rows]


def _last_entry(seeded: Seeded, event: str) -> Any:
    return log_entries(seeded.world.store, event)[-1]


def _compare(seeded: Seeded, q: SearchQuery) -> bool:
    """The first page both ways, and the count after the one without counts, against the
    counting one; whether the page left more (the count was asked for)."""
    svc, ctx = seeded.svc, seeded.ctx
    counted = svc.search(ctx, q)
    counted_entry = _last_entry(seeded, "search")
    bare = svc.search(ctx, q, count=False)
    bare_entry = _last_entry(seeded, "search")
    assert _rows(bare) == _rows(counted)
    assert bare.next_cursor == counted.next_cursor
    assert bare.plates_matched == counted.plates_matched
    if not counted.has_more:  # the whole result: counts from the rows, whatever was asked
        assert bare.total == counted.total == len(counted.rows)
        assert bare_entry.detail == counted_entry.detail
        return False
    assert bare.total is None and bare.plates_found is None
    assert bare_entry.detail["counted"] is False
    assert not set(COUNTS) & set(bare_entry.detail)
    assert bare_entry.query == counted_entry.query
    second = svc.search(ctx, q, bare.next_cursor, count=False)  # the planner's other guess
    later = svc.search(ctx, q, counted.next_cursor)
    assert (_rows(second), second.next_cursor) == (_rows(later), later.next_cursor)
    c = svc.count(ctx, q, bare.next_cursor)  # type: ignore[arg-type]
    assert (c.total, c.total_capped, c.plates_found, c.plates_capped) == (
        counted.total, counted.total_capped, counted.plates_found, counted.plates_capped)
    entry = _last_entry(seeded, "search.count")
    assert entry.seq == c.log_seq and entry.result_count == c.total
    assert entry.query == counted_entry.query
    assert {k: entry.detail.get(k) for k in COUNTS} == {
        k: counted_entry.detail.get(k) for k in COUNTS}
    return True


@pytest.mark.backend_specific("sqlcipher")  # the plans are forced through the embedded planner
@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize(("text", "mode"), PATTERNS)
def test_a_first_page_without_counts_and_its_count_say_what_the_counting_page_says(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, text: str, mode: str, plan: str,
) -> None:
    bulk(seeded)
    force(monkeypatch, PLANS[plan])
    counted_some = False
    for filters in FILTERS:
        for column, descending in ORDERS:
            for size in (3, 100):
                q = SearchQuery(text, mode, filters, size, column, descending)
                counted_some |= _compare(seeded, q)
    assert counted_some  # the count itself was compared, not only whole first pages


@pytest.mark.backend_specific("sqlcipher")
@pytest.mark.parametrize("cap", [5, 40])
def test_capped_counts_are_the_same(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    bulk(seeded)
    monkeypatch.setattr(search_mod, "TOTAL_CAP", cap)
    for plan in PLANS.values():
        force(monkeypatch, plan)
        for text, mode in PATTERNS:
            assert _compare(seeded, SearchQuery(text, mode, Filters(), 3))


def test_the_whole_seeded_store_counts_the_same(seeded: Seeded) -> None:
    """Every tier of the small store (exact, candidate, look-alike, one edit), unforced."""
    for text, mode in (("7ABC123", "fuzzy"), ("7AB*", "auto"), ("BC12", "substring"),
                       ("7ABC123", "exact")):
        assert _compare(seeded, SearchQuery(text, mode, Filters(), 1))


@pytest.mark.backend_specific("sqlcipher")
def test_a_first_page_without_counts_runs_no_count_query(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What makes the rows come first: the page that leaves more counts nothing."""
    bulk(seeded)

    def refuse(*_a: object, **_k: object) -> object:
        raise AssertionError("a count query ran for a page asked without counts")

    for name in ("count_by_plates", "count_by_candidates", "plates_with_reads",
                 "plates_of_candidate_reads", "counts_by_walk"):
        monkeypatch.setattr(SearchQueries, name, refuse)
    monkeypatch.setattr(CorrectionQueries, "ids_matching", refuse)
    for plan in PLANS.values():
        force(monkeypatch, plan)
        for text, mode in PATTERNS:
            page = seeded.svc.search(seeded.ctx, SearchQuery(text, mode, Filters(), 3),
                                     count=False)
            assert page.has_more and page.total is None
    with pytest.raises(AssertionError, match="count query ran"):
        seeded.svc.search(seeded.ctx, SearchQuery("7AB*", "auto", Filters(), 3))
