"""Fixtures for the import tests: a fresh store, a fixed clock, the vendor fixtures."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.storage import Store, create_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()  # 2026-01-01T00:00:00Z


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = create_store(tmp_path / "import.alprdb", os.urandom(32))
    yield s
    s.close()


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/ingest (tests may add files beside the data)."""
    dest = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, dest)
    (dest / "images").mkdir()
    shutil.copy(dest / "scene_7ABC123.png", dest / "images" / "scene_7ABC123.png")
    return dest



@pytest.fixture(params=["thread", "process"])
def reader_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run delimited imports in-thread, or in the reader child process whatever their size."""
    from alpr_desktop.ingest import runner

    monkeypatch.setattr(runner, "PROCESS_MIN_BYTES", 0 if request.param == "process" else 1 << 62)
    return str(request.param)
