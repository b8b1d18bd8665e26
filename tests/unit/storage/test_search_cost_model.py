"""The search planner's cost model (storage/plate_search.py plan_tier) on the sizes of the
benchmark stores: the choices the 1M and 10M stores showed to be the cheaper ones (issue 20,
branch srch7, measured page by page with both ways forced)."""

from __future__ import annotations

from typing import Any

from alpr_desktop.core.patterns import MatchKind
from alpr_desktop.storage.plate_search import plan_tier, plate_leaves
from alpr_desktop.storage.search_queries import Sizes

T0 = 1_767_225_600
HOUR, DAY = 3600, 86_400
SIZES_10M = Sizes(10_000_000, 3_500_000, T0 - 365 * DAY, T0, 16_384, 4_096)
SIZES_1M = Sizes(1_000_000, 350_000, T0 - 365 * DAY, T0, 16_384, 4_096)


def _tier(n: int, sizes: Sizes, since: int | None = None, first: bool = True,
          row_filter: bool = False, leaves: float | None = None) -> Any:
    window = sizes.window_reads(since, None)
    return plan_tier(MatchKind.WILDCARD, n, sizes, window, window, size=100,
                     row_filter=row_filter, walkable=True, first_page=first, leaves=leaves)


def test_a_three_character_pattern_at_10m_goes_plate_by_plate() -> None:
    """~550 plates: a seek each (10-20 ms) beats walking ~600,000 entries (30+ ms)."""
    assert not _tier(550, SIZES_10M).walk
    assert not _tier(550, SIZES_10M).walk_count
    assert not _tier(550, SIZES_10M, first=False).walk  # the next page finds them cached


def test_a_two_character_middle_run_at_10m_is_walked_and_counted_plate_by_plate() -> None:
    """~13,000 plates with ids spread over the index: their leaves do not fit the cache,
    ~30,000 entries walked do (measured: first page 400 -> 200 ms, next page 200 -> 14 ms);
    the count of a year (10M entries) stays a probe per plate."""
    two = _tier(13_000, SIZES_10M)
    assert two.walk and not two.walk_count
    assert two.page_by_walk_us < two.page_by_plate_us
    assert _tier(13_000, SIZES_10M, first=False).walk


def test_a_two_character_plate_start_at_10m_stays_plate_by_plate() -> None:
    """~12,000 plates on ~240 leaves (close ids): the two ways measured level on the first
    page (36 against 37 ms CPU) and the next (9 against 10 ms)."""
    start = _tier(12_000, SIZES_10M, leaves=241)
    assert not start.walk and not start.walk_count
    assert not _tier(12_000, SIZES_10M, leaves=241, first=False).walk


def test_a_short_window_is_walked_and_counted_in_the_walk() -> None:
    """A day at 10M: ~27,000 entries walked and counted (2 ms) against a cold seek per
    plate (4 ms measured). A week measured even both ways; either choice is right."""
    day = _tier(550, SIZES_10M, since=T0 - DAY)
    assert day.walk and day.walk_count


def test_small_stores_and_few_plates_go_plate_by_plate() -> None:
    assert not _tier(550, SIZES_1M).walk  # the whole plate index is cached at 1M
    assert not _tier(20, SIZES_10M, since=T0 - HOUR).walk  # too few plates to bother


def test_not_walkable_orders_and_later_pages_never_walk_the_count() -> None:
    t = plan_tier(MatchKind.WILDCARD, 12_000, SIZES_10M, 27_000.0, 27_000.0, size=100,
                  row_filter=True, walkable=False, first_page=False)
    assert not t.walk and not t.walk_count


def test_window_reads_assumes_an_even_spread() -> None:
    assert SIZES_10M.window_reads(None, None) == 10_000_000
    assert round(SIZES_10M.window_reads(T0 - DAY, None)) in range(27_300, 27_500)
    assert SIZES_10M.window_reads(T0 + 1, None) == 0.0
    assert Sizes(0, 0, None, None).window_reads(None, None) == 0.0


def test_plates_with_close_ids_share_leaves_and_cost_less_plate_by_plate() -> None:
    """A plate start's plates, first seen in the same import batches, have runs of close ids
    (a few hundred leaves for 12,000 plates at 10M, measured); a middle run's are spread."""
    clustered = [b * 20_000 + i for b in range(200) for i in range(60)]  # 200 runs of 60
    spread = [i * 290 for i in range(12_000)]  # ~318 plates a leaf at 10M: one leaf each
    assert 200 <= plate_leaves(clustered, SIZES_10M) <= 400
    assert plate_leaves(spread, SIZES_10M) > 10_000
    few = _tier(12_000, SIZES_10M, leaves=plate_leaves(clustered, SIZES_10M))
    many = _tier(12_000, SIZES_10M, leaves=plate_leaves(spread, SIZES_10M))
    assert few.page_by_plate_us < many.page_by_plate_us / 3
    assert few.page_by_walk_us == many.page_by_walk_us


def test_a_later_page_after_a_walked_and_walk_counted_first_page_keeps_walking() -> None:
    """The first page of a week's middle run (1,300 plates at 10M) walks and counts in the
    walk, so no plate's leaf was read: its next page must not count on them being cached
    (measured before this was taken into account: 33 ms and 1,058 pages read plate by
    plate, against 5 ms where the first page had read the leaves)."""
    window = SIZES_10M.window_reads(T0 - 7 * DAY, None)

    def plan(first: bool, read_before: bool = True) -> Any:
        return plan_tier(MatchKind.SUBSTRING, 1_300, SIZES_10M, window,
                         window if first else window * 0.9, size=100, row_filter=False,
                         walkable=True, first_page=first, leaves=1_200.0,
                         read_before=read_before)

    assert plan(True).walk and plan(True).walk_count
    assert plan(False, read_before=False).walk
    assert not plan(False, read_before=True).walk


def _page_alone(n: int, sizes: Sizes, since: int | None, leaves: float | None) -> Any:
    window = sizes.window_reads(since, None)
    return plan_tier(MatchKind.WILDCARD, n, sizes, window, window, size=100, row_filter=False,
                     walkable=True, first_page=True, leaves=leaves, count=False)


def test_a_first_page_without_its_count_is_planned_as_a_page_alone() -> None:
    """Issue 20 (the rows before the total): with ``count=False`` the page's way is the
    cheaper page, and ``walk_count`` the cheaper count after that page; the counting
    page's choice, made for page and count together, differs somewhere on this grid."""
    from alpr_desktop.storage.plate_search import BROAD_READS, WALK_MARGIN

    differs = 0
    for sizes in (SIZES_1M, SIZES_10M):
        for n in (60, 550, 2_000, 13_000, 60_000):
            for since in (None, T0 - 30 * DAY, T0 - 7 * DAY, T0 - DAY, T0 - HOUR):
                for leaves in (None, n / 50):
                    alone = _page_alone(n, sizes, since, leaves)
                    forced = n * sizes.reads_per_plate > BROAD_READS
                    assert alone.walk == (forced or alone.page_by_walk_us / WALK_MARGIN
                                          < alone.page_by_plate_us)
                    assert alone.walk_count == (alone.count_by_walk_us
                                                < WALK_MARGIN * alone.count_by_plate_us)
                    window = sizes.window_reads(since, None)
                    together = plan_tier(MatchKind.WILDCARD, n, sizes, window, window,
                                         size=100, row_filter=False, walkable=True,
                                         first_page=True, leaves=leaves)
                    differs += together.walk != alone.walk
    assert differs
