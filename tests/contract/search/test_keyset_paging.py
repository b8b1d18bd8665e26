"""Keyset paging: pages concatenate to the full ordered result with no gap or repeat, through
tier boundaries, on both fetch plans; cursors are tied to their search."""

from __future__ import annotations

import pytest
from search_helpers import T0, Seeded

from alpr_desktop.core.models import NewRead
from alpr_desktop.core.search import Cursor, Filters, SearchInputError, TimePreset
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage.search_queries import SearchQueries, filter_sql


def _bulk(seeded: Seeded) -> None:
    """Many reads with shared timestamps, so the id tie-break matters."""
    cam = seeded.cams["north"]
    plates = ["7AB" + f"{i:04d}" for i in range(40)]
    seeded.world.store.reads.insert_many([
        NewRead(plates[i % 40], T0 - 1000 - (i // 7) * 60, cam) for i in range(600)
    ])


def _key(row: object) -> tuple:
    return (int(row.kind), -row.read.recorded_at, -row.read.id)  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [7, 50, 1000])
def test_pages_concatenate_to_the_whole_sorted_result(seeded: Seeded, size: int) -> None:
    _bulk(seeded)
    rows = seeded.all_rows("7AB*", page_size=size)
    ids = [r.read.id for r in rows]
    assert len(ids) == len(set(ids)) == 600 + 5
    assert [_key(r) for r in rows] == sorted(_key(r) for r in rows)


def test_paging_crosses_match_kind_tiers(seeded: Seeded) -> None:
    whole = seeded.search("7ABC123", "fuzzy", page_size=100).rows
    for size in (1, 2, 3, 4):
        rows = seeded.all_rows("7ABC123", "fuzzy", page_size=size)
        assert [r.read.id for r in rows] == [r.read.id for r in whole]


def test_a_full_last_page_has_no_empty_successor(seeded: Seeded) -> None:
    page = seeded.search("7ABC123", "exact", page_size=3)
    assert len(page.rows) == 3 and page.next_cursor is None


@pytest.mark.backend_specific("sqlcipher")
def test_broad_plan_pages_the_same_as_the_narrow_one(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bulk(seeded)
    narrow = [r.read.id for r in seeded.all_rows("7AB*", page_size=13)]
    monkeypatch.setattr(search_mod, "BROAD_READS", 10)
    monkeypatch.setattr(search_mod, "MIN_BROAD_PLATES", 2)
    search_mod.RESOLVED.clear()  # the plan is part of the cached resolution
    first = seeded.search("7AB*", page_size=13)
    assert "newest first" in first.plan
    assert [r.read.id for r in seeded.all_rows("7AB*", page_size=13)] == narrow


@pytest.mark.backend_specific("sqlcipher")
def test_later_pages_use_the_indexes_without_a_full_sort(seeded: Seeded) -> None:
    """The broad plan walks reads_time in order (no temp b-tree); the narrow plan looks
    plates up through reads_plate_time."""
    q = SearchQueries(seeded.world.store)
    where = filter_sql(Filters(), None, None)
    captured: list[tuple[str, tuple]] = []
    real = q.store.query

    def spy(sql: str, params: tuple = ()) -> list:
        captured.append((sql, params))
        return real(sql, params)

    q.store.query = spy  # type: ignore[method-assign]
    try:
        q.page_by_plates([1, 2], where, (T0, 10), 5, broad=True)
        q.page_by_plates([1, 2], where, (T0, 10), 5, broad=False)
    finally:
        q.store.query = real  # type: ignore[method-assign]
    broad_plan = " | ".join(q.explain(*captured[0]))
    narrow_plan = " | ".join(q.explain(*captured[1]))
    assert "reads_time" in broad_plan and "TEMP B-TREE" not in broad_plan
    assert "reads_plate_time" in narrow_plan


def test_cursor_of_another_search_is_refused(seeded: Seeded) -> None:
    _bulk(seeded)
    page = seeded.search("7AB*", page_size=5)
    assert page.next_cursor
    with pytest.raises(SearchInputError, match="another search"):
        seeded.search("7AB0*", page_size=5, cursor=page.next_cursor)
    with pytest.raises(SearchInputError, match="another search"):
        seeded.search("7AB*", page_size=6, cursor=page.next_cursor)


@pytest.mark.parametrize("token", ["", "garbage", "W10=", "x" * 600, "WzEsMiwzXQ=="])
def test_malformed_cursor_is_refused(seeded: Seeded, token: str) -> None:
    with pytest.raises(SearchInputError, match="not valid"):
        seeded.search("7ABC123", cursor=token)


def test_cursor_round_trip_and_preset_window_stays_put(seeded: Seeded) -> None:
    c = Cursor(2, 100, 7, "abc", 5, None)
    assert Cursor.from_token(c.token()) == c
    _bulk(seeded)
    [edge] = seeded.world.store.reads.insert_many(
        [NewRead("7AB0001", T0 - 24 * 3600 + 60, seeded.cams["south"])]
    )
    f = Filters(preset=TimePreset.LAST_24_HOURS)
    page = seeded.search("7AB*", filters=f, page_size=100)
    seeded.world.clock.advance(600)  # the window must not slide between pages
    rest = seeded.all_rows_after("7AB*", f, 100, page.next_cursor)
    # 600 bulk reads, 3 seeded ones and the edge read lie in the 24 hours before page one
    assert len(page.rows) + len(rest) == 604
    assert rest[-1].read.id == edge


@pytest.mark.backend_specific("sqlcipher")
def test_resolved_patterns_are_cached_only_while_the_plates_table_is_unchanged(
    seeded: Seeded,
) -> None:
    """A new plate or a purged one changes the cache key: never a stale plate set."""
    search_mod.RESOLVED.clear()
    assert seeded.search("7AB*").plates_matched == 3
    calls: list[str] = []
    real = search_mod.SqlCipherPlateSearch._resolve_now

    def spy(self: search_mod.SqlCipherPlateSearch, pattern: object) -> object:
        calls.append(str(pattern))
        return real(self, pattern)  # type: ignore[arg-type]

    search_mod.SqlCipherPlateSearch._resolve_now = spy  # type: ignore[method-assign]
    try:
        assert seeded.search("7AB*").plates_matched == 3
        assert calls == []  # served from the cache
        seeded.world.store.reads.insert_many(
            [NewRead("7ABQ777", T0 - 50, seeded.cams["north"],
                     candidates=(("7ABW111", 0.3),))]
        )
        assert seeded.search("7AB*").plates_matched == 5  # the new plate and alternate
        assert len(calls) == 1
        # a purge deletes an unused plate: the deletion counter moves the key too
        seeded.world.store.execute(
            "DELETE FROM read_candidates WHERE plate_id = (SELECT id FROM plates "
            "WHERE plate_norm = '7ABW111')")
        seeded.world.store.execute("DELETE FROM plates WHERE plate_norm = '7ABW111'")
        assert seeded.search("7AB*").plates_matched == 4
        assert len(calls) == 2
    finally:
        search_mod.SqlCipherPlateSearch._resolve_now = real  # type: ignore[method-assign]
