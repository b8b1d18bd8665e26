"""Fixtures of the sharing tests (helpers in sharing_helpers.py)."""

from __future__ import annotations

import pytest
from access_helpers import World
from sharing_helpers import Sharing, make_sharing


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing (tests/unit/conftest.py)."""


@pytest.fixture
def sharing(world: World) -> Sharing:
    return make_sharing(world)
