"""Migration 0024 on a store written before it: reads_time becomes (recorded_at, id,
plate_id) under the same name, and searches answer exactly as before, both ways of fetching."""

from __future__ import annotations

import random
import secrets
from pathlib import Path

import pytest
from every_page import every_page

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.patterns import Mode
from alpr_desktop.core.search import Filters
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage import plate_search as search_mod
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo

T0 = 1_767_225_600
QUERIES = [("7AB*", Mode.WILDCARD, Filters()), ("C12", Mode.SUBSTRING, Filters()),
           ("7ABC123", Mode.FUZZY, Filters()),
           ("7AB*", Mode.WILDCARD, Filters(since=T0 - 5 * 86_400, makes=("Honda",)))]


def _columns(store: Store) -> list[str]:
    return [r[2] for r in store.query("PRAGMA index_info('reads_time')")]


def _answers(store: Store) -> list[object]:
    """Every page of each query (page size 9), rows and first-page counts."""
    return [([r.read.id for r in found.rows], found.total, found.plates_found,
             found.result_plates)
            for text, mode, f in QUERIES for found in every_page(store, text, mode, f, size=9)]


def test_migration_0024_widens_reads_time_and_searches_answer_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", secrets.token_bytes(32)
    everything = db._load_migrations()
    assert everything[-1].version >= 24
    without = tuple(m for m in everything if m.version != 24)
    monkeypatch.setattr(db, "_load_migrations", lambda: without)
    old = create_store(path, key)
    cam = CameraRepo(old).add(Camera(None, "Cam", ""))
    rng = random.Random(24)
    plates = [f"7AB{i:04d}" for i in range(30)] + [f"8XC12{i}" for i in range(10)]
    plates.append("7ABC123")
    ReadRepo(old).insert_many([
        NewRead(rng.choice(plates), T0 - 20 * 86_400 + i * 900, cam,
                make=rng.choice(["Honda", "Ford"]),
                candidates=(("7A8C123", 0.4),) if i % 17 == 0 else ())
        for i in range(800)])
    assert _columns(old) == ["recorded_at"]
    before = _answers(old)
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as store:
        assert 24 in {r[0] for r in store.query("SELECT version FROM schema_version")}
        assert _columns(store) == ["recorded_at", "id", "plate_id"]
        assert _answers(store) == before  # the planner's own choice
        monkeypatch.setattr(search_mod, "MIN_BROAD_PLATES", 1)
        monkeypatch.setattr(search_mod, "BROAD_READS", -1)
        assert _answers(store) == before  # every tier walked
        # The other walkers of reads_time name it and still run; new reads are indexed.
        n = store.scalar("SELECT count(*) FROM reads INDEXED BY reads_time "
                         "WHERE recorded_at >= ?", (T0 - 86_400,))
        ReadRepo(store).insert_many([NewRead("7AB0001", T0, cam)])
        assert store.scalar("SELECT count(*) FROM reads INDEXED BY reads_time "
                            "WHERE recorded_at >= ?", (T0 - 86_400,)) == n + 1
        assert store.scalar("PRAGMA integrity_check") == "ok"
