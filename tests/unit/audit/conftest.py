"""Fixtures for the audit tests: fast password hashing and a store whose log has known content."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_helpers import fill_log

from alpr_desktop.security import passwords
from alpr_desktop.storage import Store, create_store


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "ITERATIONS", 1_000)


@pytest.fixture
def log_store(tmp_path: Path) -> Iterator[Store]:
    s = create_store(tmp_path / "s.alprdb", os.urandom(32))
    fill_log(s)
    yield s
    s.close()
