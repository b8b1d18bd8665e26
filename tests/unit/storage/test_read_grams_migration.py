"""Migration 0026 on a store written before it (issue 20): the recent reads' postings start
empty and unused, searches find what they found before; the first build posts the window,
and then searches use the postings and still find the same."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from every_page import every_page
from old_schema import written_before

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.patterns import parse
from alpr_desktop.core.search import Filters, SortColumn
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.read_grams import DAY, WINDOW_S, pattern_grams
from alpr_desktop.storage.reads import CameraRepo

T0 = 1_767_225_600


def _fill(s: Store) -> None:
    cam = CameraRepo(s).add(Camera(None, "CAM-1", "Avalon Blvd"))
    rng = random.Random(4)
    plates = [f"7AB{i:04d}" for i in range(80)] + [f"8XY{i:04d}" for i in range(40)]
    s.reads.insert_many([NewRead(rng.choice(plates), T0 - 70 * DAY + i * 3_000, cam)
                         for i in range(2_000)])


def _pages(s: Store, text: str) -> list[tuple[int, ...]]:
    return [tuple(r.read.id for r in found.rows) for found in every_page(s, text, "auto")]


def _plan(s: Store, text: str) -> str:
    return s.search.find(parse(text, "auto"), Filters(), None, None, after=None, size=30,
                         column=SortColumn.BEST, descending=True).plan


def test_migration_0026_on_a_store_written_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    everything = written_before(26, monkeypatch)
    old = create_store(path, key)
    _fill(old)
    assert old.query_one("SELECT 1 FROM sqlite_master WHERE name = 'read_grams'") is None
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    monkeypatch.setattr(search_mod, "POSTINGS_MIN_PLATES", 1)
    with open_store(path, key) as s:
        assert 26 in {int(r[0]) for r in s.query("SELECT version FROM schema_version")}
        grams = s.read_grams
        assert grams.ready() is None and grams.state().floor is None
        assert s.scalar("SELECT count(*) FROM read_grams") == 0
        # Unused until built: the pages come the way they came before the migration.
        before = {t: _pages(s, t) for t in ("7AB*", "*B00*", "8XY00?1")}
        assert all(len(p) > 1 for p in before.values())
        assert search_mod.POSTINGS_PLAN not in _plan(s, "7AB*")
        assert grams.pending() > 0
        grams.run(give_way=0, now=T0)
        floor = grams.ready()
        newest = int(s.scalar("SELECT max(recorded_at) FROM reads"))
        assert floor == (newest - WINDOW_S) // DAY * DAY
        posted = s.scalar("SELECT count(DISTINCT read_id) FROM read_grams")
        assert posted == s.scalar("SELECT count(*) FROM reads WHERE recorded_at >= ?", (floor,))
        assert {t: _pages(s, t) for t in before} == before  # used now, the same pages
        assert search_mod.POSTINGS_PLAN in _plan(s, "7AB*")

        # An update of a read's time (only migrations do that) moves its postings along.
        rid, plate = s.query_one(
            "SELECT r.id, p.plate_norm FROM reads r JOIN plates p ON p.id = r.plate_id "
            "ORDER BY r.recorded_at DESC LIMIT 1")
        s.execute("UPDATE reads SET recorded_at = recorded_at - 60 WHERE id = ?", (rid,))
        got = s.query("SELECT gram, recorded_at FROM read_grams WHERE read_id = ?", (rid,))
        assert {g for g, _ in got} == set(pattern_grams(plate))
        assert {t for _, t in got} == {newest - 60}


def test_migration_0028_posts_again_with_the_plate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store whose postings were built without the plate (0026's layout): 0028 empties
    them and says "never built", the search pages as before the postings meanwhile, and the
    next build posts every read of the window with its plate; the pages stay the same."""
    path, key = tmp_path / "old.alprdb", os.urandom(32)
    everything = written_before(28, monkeypatch)
    old = create_store(path, key)
    _fill(old)
    floor = (int(old.scalar("SELECT max(recorded_at) FROM reads")) - WINDOW_S) // DAY * DAY
    with old.transaction():  # what 0026's build wrote: no plate column
        old.execute(
            "INSERT OR IGNORE INTO read_grams(day, gram, recorded_at, read_id, plate_id) "
            f"SELECT r.recorded_at / {DAY}, substr(p.plate_norm, k.value, 3), r.recorded_at, "
            "r.id, r.plate_id FROM reads r JOIN plates p ON p.id = r.plate_id, "
            "json_each('[1,2,3,4,5,6,7,8]') k WHERE k.value <= length(p.plate_norm) - 2 "
            "AND r.recorded_at >= ?", (floor,))
        old.execute("UPDATE read_grams_state SET floor = ?, low = ?, indexed_to = "
                    "(SELECT max(id) FROM reads) WHERE id = 1", (floor, floor))
    assert old.scalar("SELECT count(*) FROM read_grams") > 0
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    monkeypatch.setattr(search_mod, "POSTINGS_MIN_PLATES", 1)
    with open_store(path, key) as s:
        assert 28 in {int(r[0]) for r in s.query("SELECT version FROM schema_version")}
        grams = s.read_grams
        assert grams.ready() is None and grams.state() == grams.state().__class__(
            None, None, 0, None)
        assert s.scalar("SELECT count(*) FROM read_grams") == 0
        before = {t: _pages(s, t) for t in ("7AB*", "*B00*", "8XY00?1")}
        assert all(len(p) > 1 for p in before.values())
        assert search_mod.POSTINGS_PLAN not in _plan(s, "7AB*")
        grams.run(give_way=0, now=T0)
        assert grams.ready() == floor
        assert s.scalar(
            "SELECT count(*) FROM read_grams g JOIN plates p ON p.id = g.plate_id "
            "WHERE g.plate = p.plate_norm") == s.scalar("SELECT count(*) FROM read_grams") > 0
        assert {t: _pages(s, t) for t in before} == before
        assert search_mod.POSTINGS_PLAN in _plan(s, "7AB*")
        # The trigger posts a moved read with its plate.
        rid = s.scalar("SELECT id FROM reads ORDER BY recorded_at DESC LIMIT 1")
        other = s.scalar("SELECT id FROM plates WHERE plate_norm = '8XY0003'")
        s.execute("UPDATE reads SET plate_id = ? WHERE id = ?", (other, rid))
        assert set(s.query("SELECT gram, plate FROM read_grams WHERE read_id = ?", (rid,))) \
            == {(g, "8XY0003") for g in pattern_grams("8XY0003")}
