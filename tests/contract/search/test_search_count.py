"""The count asked for after a first page found without it (issue 20): gated like the search,
logged as its own "search.count" entry with the first page's query and the counts that page's
entry carried before; a position of another search is refused and nothing is logged."""

from __future__ import annotations

import pytest
from search_helpers import DAY, T0, Seeded, World, log_entries, permit_contractor

from alpr_desktop.core.access_errors import NotAuthorized, NotSignedIn, PurposeRequired
from alpr_desktop.core.search import Filters, SearchInputError, SearchQuery, TimePreset
from alpr_desktop.services.search import SearchService


def _first(seeded: Seeded, q: SearchQuery) -> str:
    page = seeded.svc.search(seeded.ctx, q, count=False)
    assert page.next_cursor is not None and page.total is None
    return page.next_cursor


def test_the_page_and_its_count_are_two_entries(seeded: Seeded) -> None:
    q = SearchQuery("7ABC123", "fuzzy", Filters(states=("CA",)), 2)
    cursor = _first(seeded, q)
    c = seeded.svc.count(seeded.ctx, q, cursor)
    page, count = [e for e in log_entries(seeded.world.store) if e.event.startswith("search")]
    assert (page.event, count.event) == ("search", "search.count")
    assert page.detail["counted"] is False and "total" not in page.detail
    assert page.result_count == 2
    assert count.query == page.query and count.query["filters"] == {"states": ["CA"]}
    assert count.seq == c.log_seq and count.result_count == c.total == 8
    assert count.detail["total"] == 8 and count.detail["total_capped"] is False
    assert count.detail["plates_found"] == c.plates_found == 6
    assert count.detail["result_plates"] == ["7A8C123", "7ABC12", "7ABC123", "7XYZ999",
                                             "8ABC123", "BABC123"]  # 7ABX123 is NV
    assert count.purpose == page.purpose and count.outcome == "ok"


def test_the_default_search_still_counts_on_its_first_page(seeded: Seeded) -> None:
    """The CLI and every other caller: unchanged."""
    page = seeded.search("7ABC123", "fuzzy", page_size=2)
    assert page.total == 9 and page.has_more
    [e] = log_entries(seeded.world.store, "search")
    assert e.detail["total"] == 9 and "counted" not in e.detail
    assert not log_entries(seeded.world.store, "search.count")


def test_a_page_holding_everything_carries_its_counts_whatever_was_asked(
    seeded: Seeded,
) -> None:
    page = seeded.svc.search(seeded.ctx, SearchQuery("7ABC123", "exact"), count=False)
    assert not page.has_more and page.total == 3 and page.plates_found == 1
    [e] = log_entries(seeded.world.store, "search")
    assert e.detail["total"] == 3 and "counted" not in e.detail


def test_the_count_uses_the_window_of_its_first_page(seeded: Seeded) -> None:
    """A preset moves with the clock; the count counts what the page's window held."""
    q = SearchQuery("7ABC123", "fuzzy", Filters(preset=TimePreset.LAST_7_DAYS), 2)
    cursor = _first(seeded, q)
    seeded.world.clock.advance(3 * DAY)
    seeded.svc.count(seeded.world.with_purpose("officer"), q, cursor)  # a new session
    page = log_entries(seeded.world.store, "search")[-1]
    count = log_entries(seeded.world.store, "search.count")[-1]
    assert count.query["time_window"] == page.query["time_window"] == {
        "from": T0 - 7 * DAY, "to": T0}


@pytest.mark.parametrize("other", [
    SearchQuery("7ABC12", "fuzzy", Filters(), 2),  # another pattern
    SearchQuery("7ABC123", "fuzzy", Filters(), 3),  # another page size
    SearchQuery("7ABC123", "fuzzy", Filters(makes=("Honda",)), 2),  # other filters
    SearchQuery("7ABC123", "fuzzy", Filters(), 2, "time", True),  # another order
])
def test_a_position_of_another_search_is_refused_and_nothing_logged(
    seeded: Seeded, other: SearchQuery
) -> None:
    cursor = _first(seeded, SearchQuery("7ABC123", "fuzzy", Filters(), 2))
    before = len(log_entries(seeded.world.store))
    with pytest.raises(SearchInputError, match="another search"):
        seeded.svc.count(seeded.ctx, other, cursor)
    with pytest.raises(SearchInputError, match="not valid"):
        seeded.svc.count(seeded.ctx, other, "not a position")
    assert len(log_entries(seeded.world.store)) == before


def test_the_gate_refuses_a_count_as_it_refuses_a_search(world: World) -> None:
    from search_helpers import seed

    seed(world.store)
    q = SearchQuery("7ABC123", "fuzzy", Filters(), 2)
    svc = SearchService(world.store, world.clock)
    cursor = svc.search(world.with_purpose("officer"), q, count=False).next_cursor
    assert cursor is not None
    with pytest.raises(PurposeRequired):
        svc.count(world.ctx("officer"), q, cursor)
    with pytest.raises(NotAuthorized):
        svc.count(world.ctx("keeper"), q, cursor)
    with pytest.raises(NotSignedIn):
        svc.count(None, q, cursor)  # type: ignore[arg-type]
    assert not log_entries(world.store, "search.count")
    refused = log_entries(world.store, "gate.refused")
    assert [e.detail["reason"] for e in refused] == ["no_purpose", "role", "not_signed_in"]
    assert all(e.query["count"] is True and e.query["pattern"] == "7ABC123" for e in refused)


def test_a_contractors_count_stays_in_the_permission_window(world: World) -> None:
    from search_helpers import seed

    seed(world.store)
    permit_contractor(world, T0 - 8 * 3600, T0)
    ctx = world.with_purpose("vendor")
    svc = SearchService(world.store, world.clock)
    q = SearchQuery("7ABC123", "fuzzy", Filters(), 2)
    counted = svc.search(ctx, q)
    bare = svc.search(ctx, q, count=False)
    c = svc.count(ctx, q, bare.next_cursor)  # type: ignore[arg-type]
    assert counted.total == c.total == 7  # the reads of the last 8 hours only
    count = log_entries(world.store, "search.count")[-1]
    assert count.query["time_window"] == {"from": T0 - 8 * 3600, "to": T0}
    assert count.detail["permission_reference"] == "CARSON-ACM-2026-014"
