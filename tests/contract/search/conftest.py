"""Fixtures for the search tests: the seeded store (the access world's fixtures are in
tests/unit/conftest.py)."""

from __future__ import annotations

import pytest
from search_helpers import Seeded, World, seed

from alpr_desktop.services.search import SearchService


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing for every test here (fast_kdf is in tests/unit/conftest.py)."""


@pytest.fixture
def seeded(world: World) -> Seeded:
    cams, ids = seed(world.store)
    ctx = world.with_purpose("officer")
    return Seeded(world, ctx, SearchService(world.store, world.clock), cams, ids)
