"""Fixtures for the oversight tests: the 60-day station simulation, built once per module (it
goes through the services: a few hundred sign-ins, purposes, searches and image views)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from station_sim import Simulation, simulate

from alpr_desktop.security import passwords


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulation]:
    old = passwords.ITERATIONS
    passwords.ITERATIONS = 1_000  # correct hashing, not slow hashing
    try:
        built = simulate(tmp_path_factory.mktemp("sim") / "station.alprdb")
    finally:
        passwords.ITERATIONS = old
    yield built
    built.store.close()


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Sign-ins during a test hash fast too (fast_kdf is in tests/unit/conftest.py)."""
