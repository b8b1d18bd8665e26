"""Fixtures for the issue 17 tests (training, account hygiene, breach notice, transparency);
the shared "world" is in tests/unit/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_kdf(fast_kdf: None) -> None:
    """Fast password hashing for every test here."""
