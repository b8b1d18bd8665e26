"""Migration 0027 on a store written before it: plates_ocr_key carries the plate as well,
under the same name; fuzzy searches answer exactly as before and read no plates row for
their hits (issue 20)."""

from __future__ import annotations

import json
import random
import secrets
from pathlib import Path

import pytest
from every_page import every_page

from alpr_desktop.core.models import Camera, NewRead
from alpr_desktop.core.patterns import Mode, fuzzy_keys, parse
from alpr_desktop.storage import create_store, db, open_store
from alpr_desktop.storage.db import Store
from alpr_desktop.storage.reads import CameraRepo, ReadRepo
from alpr_desktop.storage.search_queries import SearchQueries

T0 = 1_767_225_600
FUZZY = ["7ABC123", "7A8C128", "8XC120", "BXC12O"]


def _columns(store: Store) -> list[str]:
    return [r[2] for r in store.query("PRAGMA index_info('plates_ocr_key')")]


def _answers(store: Store) -> list[object]:
    return [([(r.read.id, r.kind, r.matched_plate) for r in found.rows], found.total,
             found.plates_found)
            for text in FUZZY for found in every_page(store, text, Mode.FUZZY, size=7)]


def test_migration_0027_covers_the_plate_and_fuzzy_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, key = tmp_path / "old.alprdb", secrets.token_bytes(32)
    everything = db._load_migrations()
    assert everything[-1].version >= 27
    monkeypatch.setattr(db, "_load_migrations",
                        lambda: tuple(m for m in everything if m.version != 27))
    old = create_store(path, key)
    cam = CameraRepo(old).add(Camera(None, "Cam", ""))
    rng = random.Random(27)
    plates = ["7ABC123", "7A8C123", "7ABC128", "7ABC12", "7ABC1234", "8XC120", "BXC120",
              "8XC12O", "9ZZZ999"] + [f"7AB{i:04d}" for i in range(20)]
    ReadRepo(old).insert_many([
        NewRead(rng.choice(plates), T0 - 20 * 86_400 + i * 900, cam,
                candidates=(("7A8C123", 0.4),) if i % 13 == 0 else ())
        for i in range(600)])
    assert _columns(old) == ["ocr_key"]
    before = _answers(old)
    assert any(page[0] for page in before)
    old.close()

    monkeypatch.setattr(db, "_load_migrations", lambda: everything)
    with open_store(path, key) as store:
        assert 27 in {r[0] for r in store.query("SELECT version FROM schema_version")}
        assert _columns(store) == ["ocr_key", "plate_norm"]
        assert _answers(store) == before
        fk = fuzzy_keys(parse("7ABC123", Mode.FUZZY))
        plan = " ".join(str(r[-1]) for r in store.query(
            "EXPLAIN QUERY PLAN SELECT id, plate_norm, ocr_key FROM plates "
            "WHERE ocr_key IN (SELECT value FROM json_each(?))",
            (json.dumps([fk.key, *sorted(fk.near)]),)))
        assert "COVERING INDEX plates_ocr_key" in plan
        # A plate first seen now is found by its key.
        ReadRepo(store).insert_many([NewRead("7A8C12E", T0, cam)])
        hits = SearchQueries(store).by_keys([fk.key, *sorted(fk.near)])
        assert "7A8C12E" in {h.plate for h in hits}
        assert store.scalar("PRAGMA integrity_check") == "ok"
