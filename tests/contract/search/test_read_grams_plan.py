"""Paging a broad pattern's recent reads from the trigram postings (storage/read_grams.py,
issue 20): on the same store, before the postings are built and after, every page of every
search must hold the same rows in the same order with the same counts and log entries (the
plan aside), whichever way the planner pages below the postings' window."""

from __future__ import annotations

from typing import Any

import pytest
from search_helpers import DAY, T0, Seeded, log_entries
from search_plans import BY_PLATE, BY_WALK
from search_plans import bulk as _bulk
from search_plans import force as _force

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import Filters, SearchQuery, SortColumn, TimeOfDay, TimePreset
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage import read_grams as grams_mod
from alpr_desktop.storage.read_grams import ReadGrams, pattern_grams

pytestmark = pytest.mark.backend_specific("sqlcipher")

PATTERNS = [("7AB*", "auto"), ("*C12*", "auto"), ("AB0", "substring"), ("*AB00*", "auto"),
            ("7AB*5", "auto"), ("7A?C*", "auto"), ("7ABC123", "fuzzy")]
FILTERS = [
    Filters(),
    Filters(preset=TimePreset.LAST_7_DAYS),
    Filters(since=T0 - 40 * DAY, until=T0 - 20 * DAY),
    Filters(since=T0 - 45 * DAY),
    Filters(makes=("Honda",), colors=("Silver", "White")),
    Filters(camera_ids=(1,), min_confidence=0.7),
    Filters(time_of_day=TimeOfDay(22 * 60, 6 * 60), speed_min=30.0),
]
ORDERS = [(SortColumn.BEST, True), (SortColumn.TIME, True), (SortColumn.TIME, False),
          (SortColumn.MATCH, True), (SortColumn.PLATE, False)]


def _pages(seeded: Seeded, q: SearchQuery) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Every page of ``q`` (rows and counts), and each page's plan from its log entry."""
    out: list[tuple[Any, ...]] = []
    seq = max((e.seq for e in log_entries(seeded.world.store)), default=0)
    cursor = None
    while True:
        page = seeded.svc.search(seeded.ctx, q, cursor)
        out.append((tuple((r.read.id, r.kind, r.matched_plate) for r in page.rows),
                    page.total, page.total_capped, page.plates_found, page.plates_matched))
        cursor = page.next_cursor
        if cursor is None:
            break
    plans = [str(e.detail.get("plan", "")) for e in log_entries(seeded.world.store)
             if e.seq > seq and e.event in ("search", "search.page")]
    return out, plans


def _all(seeded: Seeded, monkeypatch: pytest.MonkeyPatch, filters: Filters,
         sizes: tuple[int, ...]) -> dict[tuple[Any, ...], tuple[list[tuple[Any, ...]], list[str]]]:
    got = {}
    for text, mode in PATTERNS:
        for column, descending in ORDERS:
            for size in sizes:
                for way, consts in (("plate", BY_PLATE), ("walk", BY_WALK)):
                    _force(monkeypatch, consts)
                    if way == "walk":  # BY_WALK's one-plate tiers would use the postings too
                        monkeypatch.setattr(search_mod, "MIN_BROAD_PLATES", 50)
                    q = SearchQuery(text, mode, filters, size, column, descending)
                    got[(text, column, descending, size, way)] = _pages(seeded, q)
    return got


CASES = [(f, False) for f in FILTERS] + [(FILTERS[i], True) for i in (0, 2, 4)]


@pytest.mark.parametrize(("filters", "small_chunks"), CASES,
                         ids=[f"{'tiny_' if t else ''}f{i}" for i, (_f, t) in enumerate(CASES)])
def test_pages_are_the_same_with_and_without_the_postings(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, filters: Filters, small_chunks: bool,
) -> None:
    _bulk(seeded)
    sizes = (25, 100)
    if small_chunks:
        # Several chunks a page, the give-up after POSTINGS_MAX entries, and tiers of a few
        # plates whose run is also in other plates' (7AB*5: most 7AB postings are not theirs).
        monkeypatch.setattr(search_mod, "POSTINGS_CHUNK", 3)
        monkeypatch.setattr(search_mod, "POSTINGS_MAX", 40)
        monkeypatch.setattr(search_mod, "POSTINGS_MIN_PLATES", 1)
        sizes = (11,)
    before = _all(seeded, monkeypatch, filters, sizes)
    grams = ReadGrams(seeded.world.store)
    assert grams.ready() is None
    assert grams.run() > 0
    floor = grams.ready()
    assert floor is not None and floor == grams.state().floor
    after = _all(seeded, monkeypatch, filters, sizes)
    used = 0
    for key, (rows, plans) in after.items():
        assert rows == before[key][0], key
        posted = [search_mod.POSTINGS_PLAN in p for p in plans]
        used += sum(posted)
        text, column, descending = key[0], key[1], key[2]
        if any(posted):
            assert pattern_grams(text if "*" in text else f"*{text}*")
            assert column is not SortColumn.PLATE and (descending or column is not
                                                       SortColumn.TIME)
        assert not any(search_mod.POSTINGS_PLAN in p for p in before[key][1])
    if filters.since is None or filters.since >= floor or filters.until is None:
        assert used > 0  # the postings were used where their window holds reads


def test_a_read_added_after_the_postings_is_found_before_the_next_step(
    seeded: Seeded,
) -> None:
    """Reads imported since the last step are not posted: the search pages the old way
    until a step posts them, and finds them either way."""
    _bulk(seeded)
    store = seeded.world.store
    grams = ReadGrams(store)
    grams.run()
    q = SearchQuery("7AB*", "auto", Filters(), 5)
    page = seeded.svc.search(seeded.ctx, q)
    cam = next(iter(seeded.cams.values()))
    [new_id] = store.reads.insert_many([NewRead("7AB0042", T0 - 60, cam)])
    assert grams.ready() is None
    page = seeded.svc.search(seeded.ctx, q)
    assert page.rows[0].read.id == new_id
    grams.run()
    assert grams.ready() is not None
    again = seeded.svc.search(seeded.ctx, q)
    assert [r.read.id for r in again.rows] == [r.read.id for r in page.rows]
    assert store.scalar("SELECT count(*) FROM read_grams WHERE read_id = ?", (new_id,)) == \
        len(pattern_grams("7AB0042"))


def test_deleting_a_read_deletes_its_postings(seeded: Seeded) -> None:
    """The purge's delete (and any other) takes the read's postings with it (policy §8)."""
    _bulk(seeded)
    store = seeded.world.store
    ReadGrams(store).run()
    rid = int(store.scalar("SELECT read_id FROM read_grams ORDER BY recorded_at DESC LIMIT 1"))
    assert store.scalar("SELECT count(*) FROM read_grams WHERE read_id = ?", (rid,)) > 0
    with store.transaction():
        store.retention.delete_reads([rid])
    assert store.scalar("SELECT count(*) FROM read_grams WHERE read_id = ?", (rid,)) == 0


def _midnight(t: int) -> int:
    return t // DAY * DAY


def test_the_floor_rises_with_the_newest_read_and_the_sweep_removes_what_fell_below(
    seeded: Seeded,
) -> None:
    _bulk(seeded)
    store = seeded.world.store
    grams = ReadGrams(store)
    grams.run()
    s = grams.state()
    newest = int(store.scalar("SELECT max(recorded_at) FROM reads"))
    assert s.floor == _midnight(newest - grams_mod.WINDOW_S) == s.low
    assert store.scalar("SELECT min(recorded_at) FROM read_grams") >= s.floor
    cam = next(iter(seeded.cams.values()))
    store.reads.insert_many([NewRead("7AB0001", newest + 10 * DAY, cam)])
    steps = []
    grams.run(give_way=0, progress=lambda done, total: steps.append(done))
    s2 = grams.state()
    assert s2.floor == _midnight(newest + 10 * DAY - grams_mod.WINDOW_S) == s2.low
    assert len(steps) >= 10  # a day below the new floor per step
    assert store.scalar("SELECT min(recorded_at) FROM read_grams") >= s2.floor
    assert store.scalar("SELECT min(day) FROM read_grams") >= s2.floor // DAY
    # Every read in the window has all its runs posted, and nothing else is.
    want = set()
    for rid, at, plate in store.query(
            "SELECT r.id, r.recorded_at, p.plate_norm FROM reads r JOIN plates p "
            "ON p.id = r.plate_id WHERE r.recorded_at >= ?", (s2.floor,)):
        want |= {(g, at, rid) for g in pattern_grams(plate)}
    assert set(store.query("SELECT gram, recorded_at, read_id FROM read_grams")) == want


def test_a_future_dated_read_does_not_push_the_window_past_today(seeded: Seeded) -> None:
    _bulk(seeded)
    store = seeded.world.store
    cam = next(iter(seeded.cams.values()))
    store.reads.insert_many([NewRead("7AB0001", T0 + 400 * DAY, cam)])
    grams = ReadGrams(store)
    grams.run(now=T0)
    assert grams.state().floor == _midnight(T0 + DAY - grams_mod.WINDOW_S)
