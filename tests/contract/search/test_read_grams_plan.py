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

from alpr_desktop.core.corrections import CorrectionInput
from alpr_desktop.core.models import NewRead
from alpr_desktop.core.patterns import parse
from alpr_desktop.core.search import Filters, SearchQuery, SortColumn, TimeOfDay, TimePreset
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage import read_grams as grams_mod
from alpr_desktop.storage.corrections import CorrectionRepo
from alpr_desktop.storage.read_grams import ReadGrams, pattern_grams
from alpr_desktop.storage.search_queries import SearchQueries

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


# "tiny": small chunks; "uncounted": no resolution kept between pages, so every page of the
# postings counts the pattern's plates instead of reading them (_resolve_by_count) and reads
# them only below the window and for the counts; "corrected": that, with corrections in force.
CASES = [(f, "") for f in FILTERS] + [(FILTERS[i], "tiny") for i in (0, 2, 4)] + [
    (FILTERS[i], "uncounted") for i in (0, 2, 4, 6)] + [
    (FILTERS[i], "corrected") for i in (0, 3)]


def _correct(seeded: Seeded) -> None:
    """Corrections in force on recent reads: to a plate of the patterns from one outside
    them, from one plate of them to another, and one superseded."""
    store = seeded.world.store
    user = int(store.scalar("SELECT min(id) FROM users"))
    repo = CorrectionRepo(store)

    def newest(like: str) -> list[int]:
        return [int(r[0]) for r in store.query(
            "SELECT r.id FROM reads r JOIN plates p ON p.id = r.plate_id "
            "WHERE p.plate_norm LIKE ? ORDER BY r.recorded_at DESC LIMIT 3", (like,))]

    for read_id, plate in ((newest("7A_C12%")[0], "7AB0003"), (newest("7AB%")[0], "7AB0009"),
                           (newest("7AB%")[1], "7AEC121"), (newest("7A_C12%")[1], "8XY0001"),
                           (newest("7A_C12%")[1], "7AB0042")):
        repo.add(CorrectionInput(read_id, "Checked at full size against the overview.",
                                 "overview", plate=plate), "0" * 64, user, 1)


@pytest.mark.parametrize(("filters", "variant"), CASES,
                         ids=[f"{v + '_' if v else ''}f{i}" for i, (_f, v) in enumerate(CASES)])
def test_pages_are_the_same_with_and_without_the_postings(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, filters: Filters, variant: str,
) -> None:
    _bulk(seeded)
    # Plates that are a substring pattern's literal itself (its EXACT tier, kept out of the
    # SUBSTRING tier's postings by their text).
    cams = list(seeded.cams.values())
    seeded.world.store.reads.insert_many([
        NewRead(p, T0 - i * 7_000, cams[i % len(cams)], make="Honda", color="Silver",
                confidence=0.9) for i, p in enumerate(["AB00", "C12", "AB0"] * 12)])
    sizes = (25, 100)
    if variant == "corrected":
        _correct(seeded)
    if variant == "tiny":
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
    counted = 0
    if variant in ("uncounted", "corrected"):
        monkeypatch.setattr(search_mod, "RESOLVED", search_mod._ResolvedCache(0))
        count_matching = SearchQueries.count_matching

        def counting(self: SearchQueries, *a: Any) -> tuple[int, str]:
            nonlocal counted
            counted += 1
            return count_matching(self, *a)

        monkeypatch.setattr(SearchQueries, "count_matching", counting)
    after = _all(seeded, monkeypatch, filters, sizes)
    assert counted > 0 or variant not in ("uncounted", "corrected")
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
    # Every read in the window has all its runs posted, with its plate, and nothing else is.
    want = set()
    for rid, at, pid, plate in store.query(
            "SELECT r.id, r.recorded_at, p.id, p.plate_norm FROM reads r JOIN plates p "
            "ON p.id = r.plate_id WHERE r.recorded_at >= ?", (s2.floor,)):
        want |= {(g, at, rid, pid, plate) for g in pattern_grams(plate)}
    assert set(store.query(
        "SELECT gram, recorded_at, read_id, plate_id, plate FROM read_grams")) == want


def test_a_future_dated_read_does_not_push_the_window_past_today(seeded: Seeded) -> None:
    _bulk(seeded)
    store = seeded.world.store
    cam = next(iter(seeded.cams.values()))
    store.reads.insert_many([NewRead("7AB0001", T0 + 400 * DAY, cam)])
    grams = ReadGrams(store)
    grams.run(now=T0)
    assert grams.state().floor == _midnight(T0 + DAY - grams_mod.WINDOW_S)


def test_a_first_page_from_the_postings_counts_the_plates_and_reads_none(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 20: a broad pattern's first page without counts, from the postings, counts the
    pattern's plates (for the log and the too-broad refusal) and does not read them; the
    count asked for afterwards reads them, and says what a counting page says."""
    _bulk(seeded)
    store = seeded.world.store
    newest = int(store.scalar("SELECT max(recorded_at) FROM reads"))
    cam = next(iter(seeded.cams.values()))
    store.reads.insert_many([NewRead(f"7A{'BD'[i % 2]}{'C' * (i % 2)}00{i:02d}",
                                     newest - i * 600, cam) for i in range(20)])
    ReadGrams(store).run()
    monkeypatch.setattr(search_mod, "RESOLVED", search_mod._ResolvedCache(4))
    wildcard = SearchQueries.wildcard
    read: list[str] = []

    def reading(self: SearchQueries, pattern: Any, limit: int) -> Any:
        read.append(pattern.text)
        return wildcard(self, pattern, limit)

    monkeypatch.setattr(SearchQueries, "wildcard", reading)
    monkeypatch.setattr(search_mod, "POSTINGS_MIN_PLATES", 5)  # *DC00*'s ten plates too
    for text in ("7AB*", "*AB00*", "*DC00*", "7?DC00*"):
        q = SearchQuery(text, "auto", Filters(), 5)
        page = seeded.svc.search(seeded.ctx, q, count=False)
        assert page.has_more and search_mod.POSTINGS_PLAN in page.plan
        assert read == [] and page.plates_matched == len(
            wildcard(SearchQueries(seeded.world.store), parse(text), 10**6)[0].ids)
        counted = seeded.svc.count(seeded.ctx, q, page.next_cursor)  # type: ignore[arg-type]
        assert read == [text]
        read.clear()
        assert counted.total == seeded.svc.search(seeded.ctx, q).total
