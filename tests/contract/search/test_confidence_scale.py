"""One confidence scale: imports store 0-1 like the demo, so "at least 80 %" means it
(a 12 % imported read used to pass, stored as 12 against a 0.8 threshold). Migration 0004,
which converts stores written with percents, is tested in
tests/unit/storage/test_confidence_migration.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_helpers import Seeded

from alpr_desktop.core.search import Filters
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions

MAPPING = Mapping(name="c", columns={"plate": "plate", "datetime": "datetime",
                                     "camera": "camera", "confidence": "confidence"})


def test_an_imported_12_percent_read_does_not_pass_at_least_80_percent(
    seeded: Seeded, tmp_path: Path
) -> None:
    data = tmp_path / "reads.csv"
    data.write_text("plate,datetime,camera,confidence\n"
                    "9LOW012,2025-12-01T10:00:00Z,Cam 1,12\n"
                    "9LOW012,2025-12-01T11:00:00Z,Cam 1,91\n", encoding="utf-8")
    summary = ImportJob(seeded.world.store, seeded.world.clock,
                        ImportOptions(mapping=MAPPING, reader_process=False)).run([data])
    assert summary.accepted == 2
    stored = sorted(r.confidence for r in seeded.world.store.reads.by_plate("9LOW012"))
    assert stored == [pytest.approx(0.12), pytest.approx(0.91)]
    rows = seeded.search("9LOW012", "exact", Filters(min_confidence=0.8)).rows
    assert [r.read.confidence for r in rows] == [pytest.approx(0.91)]
