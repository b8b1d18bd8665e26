"""The two ways of fetching and counting a tier of plates (issue 20): plate by plate through
reads_plate_time, or one walk of reads_time (recorded_at, id, plate_id) newest first. Both
forced on the same store must give the same rows in the same order, the same counts and the
same log entries, on every page; and the planner must pick the walk where it is cheaper."""

from __future__ import annotations

import random
from typing import Any

import pytest
from search_helpers import DAY, T0, Seeded, log_entries, permit_contractor
from search_plans import BY_PLATE, BY_WALK
from search_plans import bulk as _bulk
from search_plans import force as _force

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.patterns import MatchKind, Mode, parse
from alpr_desktop.core.search import Filters, SearchQuery, SortColumn, TimeOfDay, TimePreset
from alpr_desktop.services.search import SearchService
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage.plate_search import SqlCipherPlateSearch
from alpr_desktop.storage.search_queries import SearchQueries

pytestmark = pytest.mark.backend_specific("sqlcipher")

def _walk_all(svc: SearchService, ctx: Any, q: SearchQuery) -> list[tuple[Any, ...]]:
    """Every page of ``q``: its rows (id, kind, plate matched, correction) and counts."""
    out: list[tuple[Any, ...]] = []
    cursor = None
    while True:
        page = svc.search(ctx, q, cursor)
        out.append((tuple((r.read.id, r.kind, r.matched_plate, r.corrected)
                          for r in page.rows),
                    page.total, page.total_capped, page.plates_found, page.plates_capped,
                    page.plates_matched))
        cursor = page.next_cursor
        if cursor is None:
            return out


def _entries(seeded: Seeded, since_seq: int) -> list[tuple[Any, ...]]:
    """The search log entries written after ``since_seq``, their plan left out (it says which
    way the reads were fetched)."""
    return [(e.event, e.query, e.result_count,
             {k: v for k, v in e.detail.items() if k != "plan"})
            for e in log_entries(seeded.world.store) if e.seq > since_seq
            and e.event in ("search", "search.page")]


def _last_seq(seeded: Seeded) -> int:
    return max((e.seq for e in log_entries(seeded.world.store)), default=0)


PATTERNS = [("7AB*", "auto"), ("*C12*", "auto"), ("7A?C*", "auto"), ("7ABC123", "fuzzy"),
            ("AB0", "substring")]
FILTERS = [
    Filters(),
    Filters(preset=TimePreset.LAST_7_DAYS),
    Filters(since=T0 - 40 * DAY, until=T0 - 20 * DAY),
    Filters(makes=("Honda",), colors=("Silver", "White")),
    Filters(camera_ids=(1,), min_confidence=0.7),
    Filters(time_of_day=TimeOfDay(22 * 60, 6 * 60), speed_min=30.0),
]
ORDERS = [(SortColumn.BEST, True), (SortColumn.TIME, True), (SortColumn.TIME, False),
          (SortColumn.MATCH, True), (SortColumn.PLATE, False)]


@pytest.mark.parametrize(("text", "mode"), PATTERNS)
@pytest.mark.parametrize("filters", FILTERS, ids=[f"f{i}" for i in range(len(FILTERS))])
def test_the_walk_gives_what_the_per_plate_plan_gives(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, text: str, mode: str, filters: Filters,
) -> None:
    _bulk(seeded)
    for column, descending in ORDERS:
        for size in (7, 100):
            q = SearchQuery(text, mode, filters, size, column, descending)
            got = {}
            for name, consts in (("plate", BY_PLATE), ("walk", BY_WALK)):
                _force(monkeypatch, consts)
                seq = _last_seq(seeded)
                got[name] = (_walk_all(seeded.svc, seeded.ctx, q), _entries(seeded, seq))
            assert got["walk"] == got["plate"], (column, descending, size)
            assert sum(len(p[0]) for p in got["plate"][0]) > 0 or filters != Filters()


@pytest.mark.parametrize("cap", [5, 40])
def test_capped_counts_are_the_same_both_ways(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    _bulk(seeded)
    monkeypatch.setattr(search_mod, "TOTAL_CAP", cap)
    for text, mode in PATTERNS:
        q = SearchQuery(text, mode, Filters(), 3)
        got = {}
        for name, consts in (("plate", BY_PLATE), ("walk", BY_WALK)):
            _force(monkeypatch, consts)
            seq = _last_seq(seeded)
            page = seeded.svc.search(seeded.ctx, q)
            got[name] = (page.total, page.total_capped, page.plates_found, page.plates_capped,
                         [r.read.id for r in page.rows], _entries(seeded, seq))
        assert got["walk"] == got["plate"], text


def test_a_contractors_window_holds_both_ways(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The permission window narrows the walk as it narrows the per-plate ranges."""
    _bulk(seeded)
    world = seeded.world
    permit_contractor(world, T0 - 30 * DAY, T0 - 10 * DAY)
    ctx = world.with_purpose("vendor", narrative=(
        "Contractor review for the Carson Mall theft case: the plates read near the mall in "
        "the permitted weeks, to help the detectives identify the vehicle."))
    svc = SearchService(world.store, world.clock)
    got = {}
    for name, consts in (("plate", BY_PLATE), ("walk", BY_WALK)):
        _force(monkeypatch, consts)
        seq = _last_seq(seeded)
        got[name] = (_walk_all(svc, ctx, SearchQuery("7AB*", "auto", Filters(), 11)),
                     _entries(seeded, seq))
    assert got["walk"] == got["plate"]
    rows = [r for page in got["walk"][0] for r in page[0]]
    times = [world.store.reads.get(r[0]).recorded_at for r in rows]  # type: ignore[union-attr]
    assert rows and all(T0 - 30 * DAY <= t <= T0 - 10 * DAY for t in times)


def test_the_walk_is_what_the_forced_plan_runs(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forcing the walk really walks reads_time (the comparison above is not one plan twice):
    the page's query names the index, and its plan tests the plate without a sort."""
    _bulk(seeded)
    seen: list[tuple[str, tuple]] = []
    real = SearchQueries.page_by_plates

    def spy(self: SearchQueries, *a: Any, **k: Any) -> Any:
        seen.append(("walk" if k.get("broad") else "plate", ()))
        return real(self, *a, **k)

    monkeypatch.setattr(SearchQueries, "page_by_plates", spy)
    for consts, want in ((BY_WALK, "walk"), (BY_PLATE, "plate")):
        _force(monkeypatch, consts)
        seen.clear()
        page = seeded.search("7AB*", page_size=5)
        assert {s[0] for s in seen} == {want}
        assert ("newest first" in page.plan) is (want == "walk")


def _broad_store(seeded: Seeded) -> None:
    """300 plates 5K0000-5K0299 with 3,000 reads over the last 10 days: "5K*" matches them
    all, every read in the store's newest part is theirs."""
    rng = random.Random(5)
    cam = seeded.cams["north"]
    seeded.world.store.reads.insert_many([
        NewRead(f"5K{rng.randrange(300):04d}", T0 - 10 * DAY + i * 280, cam)
        for i in range(3000)])


def test_the_planner_walks_for_a_broad_pattern_and_not_for_a_narrow_one(
    seeded: Seeded,
) -> None:
    _broad_store(seeded)
    search = SqlCipherPlateSearch(seeded.world.store)
    broad = search.plan(parse("5K*", Mode.WILDCARD), Filters(), None, None)
    tier = broad.tiers[MatchKind.WILDCARD]
    assert tier.plates == 300 and tier.walk and tier.page_by_walk_us < tier.page_by_plate_us
    assert broad.walks(MatchKind.WILDCARD)
    narrow = search.plan(parse("5K0001", Mode.EXACT), Filters(), None, None)
    assert not narrow.walks(MatchKind.EXACT)
    page = seeded.search("5K*", page_size=50)
    assert "reads walked newest first" in page.plan
    [entry] = log_entries(seeded.world.store, "search")
    assert entry.detail["plan"] == page.plan and entry.detail["total"] == 3000


def test_the_walk_query_reads_time_in_order_with_the_plate_on_the_index(
    seeded: Seeded,
) -> None:
    """EXPLAIN QUERY PLAN of the walk: reads_time, no sort; and the index holds the plate, so
    the IN test is made on the entry (covering columns: recorded_at, id, plate_id)."""
    q = SearchQueries(seeded.world.store)
    cols = [r[2] for r in seeded.world.store.query("PRAGMA index_info('reads_time')")]
    assert cols == ["recorded_at", "id", "plate_id"]
    sql = ("SELECT r.id FROM reads r INDEXED BY reads_time "
           "WHERE +r.plate_id IN (SELECT value FROM json_each(?)) AND r.recorded_at <= ? "
           "ORDER BY r.recorded_at DESC, r.id DESC LIMIT 5")
    plan = " | ".join(q.explain(sql, ("[1,2]", T0)))
    assert "COVERING INDEX reads_time" in plan and "TEMP B-TREE" not in plan
